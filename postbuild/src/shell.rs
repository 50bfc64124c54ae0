//! The app shell: the built files the service worker caches at install, and their version.

use std::fs;
use std::path::Path;

use anyhow::Result;
use sha2::{Digest, Sha256};

/// Built files that are not part of the shell: the worker itself, precompressed twins of other
/// files, article media (cached as the reader meets it), the partner sites' embed script, the
/// fronts' CSS (the server's, for the pages it renders) and hidden files (Trunk's lock file).
fn in_shell(path: &str) -> bool {
    !(path == "/sw.js"
        || path.strip_prefix('/') == Some(crate::styles::FRONTS_FILE)
        || path.split('/').any(|segment| segment.starts_with('.'))
        || path == "/embed.js"
        || path.starts_with("/media/")
        || path.ends_with(".br")
        || path.ends_with(".gz"))
}

/// The shell's files as absolute URL paths, sorted.
pub fn files(dist: &Path) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for path in crate::files::under(dist)? {
        let relative = path.strip_prefix(dist)?;
        let url = format!("/{}", relative.to_string_lossy().replace('\\', "/"));
        if in_shell(&url) {
            found.push(url);
        }
    }
    found.sort();
    Ok(found)
}

/// A hash of the worker's template and every shell file's name and contents: it changes exactly
/// when a deploy changes what the worker would serve.
pub fn version(dist: &Path, files: &[String], template: &str) -> Result<String> {
    let mut hash = Sha256::new();
    hash.update(template.as_bytes());
    for file in files {
        let bytes = fs::read(dist.join(file.trim_start_matches('/')))?;
        hash.update(file.as_bytes());
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(&bytes);
    }
    Ok(hash
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, body) in [
            ("index.html", "<html>"),
            ("app-0123456789abcdef_bg.wasm", "wasm"),
            ("app-0123456789abcdef_bg.wasm.br", "br"),
            ("sw.js", "old worker"),
            (".trunk-lock", ""),
            ("embed.js", "partner script"),
            ("media/harbour.svg", "<svg/>"),
            ("icons/icon-192.png", "png"),
        ] {
            let path = dir.path().join(name);
            fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            fs::write(path, body).expect("write");
        }
        dir
    }

    #[test]
    fn lists_the_shell_only() {
        let dir = site();
        assert_eq!(
            files(dir.path()).expect("lists"),
            [
                "/app-0123456789abcdef_bg.wasm",
                "/icons/icon-192.png",
                "/index.html"
            ]
        );
    }

    #[test]
    fn the_version_follows_the_shell_and_nothing_else() {
        let dir = site();
        let list = files(dir.path()).expect("lists");
        let v1 = version(dir.path(), &list, "worker").expect("hashes");
        assert_eq!(v1.len(), 16);
        assert_eq!(v1, version(dir.path(), &list, "worker").expect("hashes"));
        assert_ne!(v1, version(dir.path(), &list, "worker 2").expect("hashes"));

        // Media and the worker itself do not make a new version; the shell's HTML does.
        fs::write(dir.path().join("media/harbour.svg"), "<svg></svg>").expect("write");
        fs::write(dir.path().join("sw.js"), "new worker").expect("write");
        assert_eq!(v1, version(dir.path(), &list, "worker").expect("hashes"));
        fs::write(dir.path().join("index.html"), "<html lang=en>").expect("write");
        assert_ne!(v1, version(dir.path(), &list, "worker").expect("hashes"));
    }
}
