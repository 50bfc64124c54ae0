//! Broadsheet's post-build step, run by Trunk after every build (`Trunk.toml`, post-build hook)
//! on the staged site. Each of its jobs fills in a template or finishes Trunk's output:
//!
//! - [`icons`]: renders every icon the web app manifest declares from the one source image, at
//!   the size it declares (a `maskable` icon gets the safe-zone padding), so the manifest and the
//!   files cannot disagree;
//! - [`styles`]: puts the page's stylesheets into one inline `<style>` (checked against their
//!   integrity hashes), so nothing blocks the first paint;
//! - [`bootstrap`]: writes the page's bootstrap from `postbuild/bootstrap.js`, with the app's
//!   files and their subresource integrity;
//! - [`shell`] and `fill`: writes `sw.js` from its template `postbuild/sw.js` with the list of
//!   app-shell files and a version that is a hash of their contents, so every deploy that changes
//!   the shell produces a new worker;
//! - [`precompress`]: writes brotli and gzip twins of the text-like files, last, so they match.

pub mod bootstrap;
pub mod files;
pub mod icons;
pub mod precompress;
pub mod shell;
pub mod styles;

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// What the step wrote, for its log line.
#[derive(Debug)]
pub struct Report {
    pub icons: usize,
    pub shell: Vec<String>,
    pub version: String,
    /// Files that got `.br` and `.gz` twins.
    pub compressed: usize,
}

const VERSION_MARK: &str = "__BROADSHEET_VERSION__";
const SHELL_MARK: &str = "__BROADSHEET_SHELL__";

/// The templates and sources the step reads.
pub struct Sources<'a> {
    /// The one source image of every icon.
    pub icon: &'a Path,
    /// The service worker's template.
    pub worker: &'a Path,
    /// The bootstrap's template.
    pub bootstrap: &'a Path,
    /// What the bootstrap imports to start the app.
    pub start: &'a Path,
}

/// Finishes the built site in `dist`: icons, inline styles, bootstrap, `sw.js`, compressed twins.
pub fn build(dist: &Path, sources: &Sources) -> Result<Report> {
    let Sources {
        icon,
        worker: worker_template,
        bootstrap: bootstrap_template,
        start,
    } = sources;
    let manifest_path = dist.join("manifest.webmanifest");
    let manifest = fs::read_to_string(&manifest_path)
        .with_context(|| format!("reading {}", manifest_path.display()))?;
    let svg = fs::read(icon).with_context(|| format!("reading {}", icon.display()))?;
    let wanted = icons::declared(&manifest)?;
    for icon in &wanted {
        let png = icons::render(&svg, icon.size, icon.maskable)?;
        let out = dist.join(icon.src.trim_start_matches('/'));
        if let Some(dir) = out.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&out, png).with_context(|| format!("writing {}", out.display()))?;
    }

    let index = dist.join("index.html");
    let html =
        fs::read_to_string(&index).with_context(|| format!("reading {}", index.display()))?;
    let template = fs::read_to_string(bootstrap_template)
        .with_context(|| format!("reading {}", bootstrap_template.display()))?;
    let start =
        fs::read_to_string(start).with_context(|| format!("reading {}", start.display()))?;
    let html = styles::write(&html, dist)?;
    fs::write(&index, bootstrap::write(&html, dist, &template, &start)?)?;

    let template = fs::read_to_string(worker_template)
        .with_context(|| format!("reading {}", worker_template.display()))?;
    let files = shell::files(dist)?;
    let version = shell::version(dist, &files, &template)?;
    let worker = fill(&template, &version, &files)?;
    fs::write(dist.join("sw.js"), worker)?;
    let compressed = precompress::write(dist)?;
    Ok(Report {
        icons: wanted.len(),
        shell: files,
        version,
        compressed,
    })
}

/// The worker's source with its version and shell list filled in.
fn fill(template: &str, version: &str, files: &[String]) -> Result<String> {
    for mark in [VERSION_MARK, SHELL_MARK] {
        if template.matches(mark).count() != 1 {
            bail!("the service worker template must contain {mark} exactly once");
        }
    }
    Ok(template
        .replace(VERSION_MARK, version)
        .replace(SHELL_MARK, &serde_json::to_string(files)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_needs_each_mark_once() {
        let t = "const V = \"__BROADSHEET_VERSION__\"; const S = __BROADSHEET_SHELL__;";
        let out = fill(t, "abc", &["/index.html".into()]).expect("fills");
        assert_eq!(out, "const V = \"abc\"; const S = [\"/index.html\"];");
        assert!(fill("const S = __BROADSHEET_SHELL__;", "abc", &[]).is_err());
        assert!(fill(&format!("{t}{t}"), "abc", &[]).is_err());
    }
}
