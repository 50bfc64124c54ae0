//! The site's own pictures that are small enough to come inside a page: the first screen's lead
//! picture among them is shown from a `data:` URL, and the page's largest paint waits for no
//! request after the page itself (issue #21: on a simulated phone the home page's lead picture,
//! 505 B compressed, cost one more round trip, 150 ms, and LCP 1.34× its twin's without it).
//!
//! The built app (`dist/`) is read once, as the server starts, as its `index.html` is: a picture
//! qualifies when it is a file there of an image type and its `data:` URL adds at most
//! [`BUDGET`] bytes to a compressed page. The demo's illustrations (SVG) do; a photograph does
//! not, and loads from its address with high priority, as before.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use broadsheet::page_data::embedded::Inline;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// The most a picture may add to a page, brotli-compressed: the home page is 12.8 KB on the
/// wire, and its first flight (ten packets, 14,600 B) has room for this much more.
pub const BUDGET: usize = 1024;

/// Larger files are not read at all: no picture this size compresses into [`BUDGET`].
const LARGEST_FILE: u64 = 32 * 1024;

/// Nor may a picture's `data:` URL be longer than this, however well it compresses: it is in the
/// page twice (the `<img>` and the data), and not every client takes brotli.
const LONGEST_URL: usize = 4 * 1024;

/// What is escaped in an SVG's `data:` URL: what a URL may not hold, and what an attribute's or
/// a JSON string's escaping would otherwise lengthen (`"`, `&`, `<`, `>`).
const SVG_ESCAPED: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'\'')
    .add(b'<')
    .add(b'>')
    .add(b'`');

/// The pictures of the built app at `dist` that may come inside a page, by address (`/media/…`).
pub fn scan(dist: &Path) -> Inline {
    let mut pictures = HashMap::new();
    let mut folders = vec![dist.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            // Hidden files are not the site's (`ServeDir` serves what links point to: so does
            // this, following them).
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                folders.push(path);
                continue;
            }
            let small = meta.len() <= LARGEST_FILE;
            let address = path
                .strip_prefix(dist)
                .ok()
                .and_then(|p| p.to_str())
                .map(|p| format!("/{}", p.replace(std::path::MAIN_SEPARATOR, "/")));
            let (Some(address), true) = (address, small) else {
                continue;
            };
            let Some(url) = std::fs::read(&path)
                .ok()
                .and_then(|b| data_url(&address, &b))
            else {
                continue;
            };
            pictures.insert(address, url);
        }
    }
    if !pictures.is_empty() {
        tracing::info!(
            count = pictures.len(),
            "pictures that may come inside a page"
        );
    }
    Inline(Arc::new(pictures))
}

/// The `data:` URL of the picture at `address` (its type from its extension), if it is one and
/// fits the [`BUDGET`].
fn data_url(address: &str, bytes: &[u8]) -> Option<String> {
    let extension = address.rsplit_once('.')?.1.to_ascii_lowercase();
    let url = match extension.as_str() {
        // Text: escaped, not base64, so that it compresses as the file does.
        "svg" => {
            let text = std::str::from_utf8(bytes).ok()?;
            format!(
                "data:image/svg+xml,{}",
                utf8_percent_encode(text, SVG_ESCAPED)
            )
        }
        _ => {
            let kind = match extension.as_str() {
                "png" => "png",
                "jpg" | "jpeg" => "jpeg",
                "webp" => "webp",
                "avif" => "avif",
                "gif" => "gif",
                _ => return None,
            };
            format!("data:image/{kind};base64,{}", STANDARD.encode(bytes))
        }
    };
    (url.len() <= LONGEST_URL && compressed_len(&url) <= BUDGET).then_some(url)
}

/// `text`'s length brotli-compressed as a page's answer is (quality 9, `http::caching`).
fn compressed_len(text: &str) -> usize {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 9,
        ..Default::default()
    };
    let mut out = Vec::new();
    match brotli::BrotliCompress(&mut text.as_bytes(), &mut out, &params) {
        Ok(_) => out.len(),
        Err(_) => usize::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(url: &str) -> Vec<u8> {
        let url = data_url::DataUrl::process(url).expect("a data: URL");
        url.decode_to_vec().expect("its body decodes").0
    }

    #[test]
    fn small_pictures_come_inside_and_read_back_as_their_files() {
        let dist = tempfile::tempdir().expect("a temporary dist");
        let media = dist.path().join("media");
        std::fs::create_dir(&media).expect("media");
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3"><title>A "tiny" #1 & more</title><rect width="4" height="3" fill="#cfe3f0"/></svg>"##;
        std::fs::write(media.join("tiny.svg"), svg).expect("a file");
        let png: Vec<u8> = (0..200u8).collect();
        std::fs::write(media.join("dot.PNG"), &png).expect("a file");
        // Incompressible: over the budget though the file is under the size read.
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        std::fs::write(media.join("noise.png"), &noise).expect("a file");
        std::fs::write(media.join("notes.txt"), "not a picture").expect("a file");
        std::fs::write(dist.path().join("big.svg"), "<svg/>".repeat(6000)).expect("a file");
        // Compresses into the budget, but too long a URL for a page.
        std::fs::write(
            media.join("long.svg"),
            format!("<svg>{}</svg>", "<g/>".repeat(1200)),
        )
        .expect("a file");
        std::fs::write(media.join(".hidden.svg"), "<svg/>").expect("a file");

        let Inline(pictures) = scan(dist.path());
        let tiny = &pictures["/media/tiny.svg"];
        assert!(tiny.starts_with("data:image/svg+xml,%3Csvg"), "{tiny}");
        assert!(!tiny.contains(['"', '<', '>', '&', ' ']), "{tiny}");
        assert_eq!(decoded(tiny), svg.as_bytes());
        let dot = &pictures["/media/dot.PNG"];
        assert!(dot.starts_with("data:image/png;base64,"), "{dot}");
        assert_eq!(decoded(dot), png);
        for left in [
            "/media/noise.png",
            "/media/notes.txt",
            "/big.svg",
            "/media/long.svg",
            "/media/.hidden.svg",
        ] {
            assert!(!pictures.contains_key(left), "{left} came inside");
        }
        assert_eq!(pictures.len(), 2);
    }

    #[test]
    fn the_demo_illustrations_fit() {
        let public = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public");
        let Inline(pictures) = scan(&public);
        assert!(
            pictures.contains_key("/media/birds.svg"),
            "{:?}",
            pictures.keys()
        );
    }
}
