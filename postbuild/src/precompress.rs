//! Precompressed twins of the text-like files (`x.br` at brotli's best, `x.gz` at gzip -9), which
//! the server sends as they are to a browser that accepts them: the smallest transfer without
//! spending a request's time on compression.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

/// Endings worth compressing (images other than SVG are compressed already).
const ENDINGS: [&str; 7] = [
    ".wasm",
    ".js",
    ".css",
    ".html",
    ".svg",
    ".webmanifest",
    ".json",
];

/// Below this, a compressed copy saves too little to be worth a file.
const MIN_BYTES: u64 = 512;

fn candidates(dist: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for path in crate::files::under(dist)? {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if ENDINGS.iter().any(|e| name.ends_with(e))
            && !name.starts_with('.')
            && fs::metadata(&path)?.len() >= MIN_BYTES
        {
            found.push(path);
        }
    }
    Ok(found)
}

/// Writes `x.br` and `x.gz` beside every candidate file; returns how many files got twins.
pub fn write(dist: &Path) -> Result<usize> {
    let files = candidates(dist)?;
    for path in &files {
        let bytes = fs::read(path)?;
        let mut br = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            lgwin: 22,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut bytes.as_slice(), &mut br, &params)?;
        fs::write(with_suffix(path, "br"), br)?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&bytes)?;
        fs::write(with_suffix(path, "gz"), gz.finish()?)?;
    }
    Ok(files.len())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn writes_twins_that_decompress_to_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let text = "body { color: #1a1a1a; }\n".repeat(100);
        fs::write(dir.path().join("site.css"), &text).expect("css");
        fs::write(dir.path().join("tiny.js"), "x").expect("js");
        fs::write(dir.path().join("photo.png"), vec![7u8; 4096]).expect("png");
        assert_eq!(write(dir.path()).expect("writes"), 1);

        let mut from_br = String::new();
        brotli::Decompressor::new(
            fs::read(dir.path().join("site.css.br"))
                .expect("br")
                .as_slice(),
            4096,
        )
        .read_to_string(&mut from_br)
        .expect("brotli");
        assert_eq!(from_br, text);
        let mut from_gz = String::new();
        flate2::read::GzDecoder::new(
            fs::read(dir.path().join("site.css.gz"))
                .expect("gz")
                .as_slice(),
        )
        .read_to_string(&mut from_gz)
        .expect("gzip");
        assert_eq!(from_gz, text);
        for absent in ["tiny.js.br", "photo.png.br", "site.css.br.br"] {
            assert!(!dir.path().join(absent).exists(), "{absent}");
        }
    }
}
