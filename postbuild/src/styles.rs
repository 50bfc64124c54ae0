//! The page's CSS, inline. Trunk copies, minifies and hashes each `<link data-trunk rel="css">`
//! of `index.html` and links it with its integrity; a linked stylesheet blocks the first paint
//! until it has arrived, a round trip on a new connection. This step puts the stylesheets the
//! page links into one `<style>` element in place of the first link, in their order, and removes
//! the files: the page then paints from its first response. (Trunk 0.22 cannot inline a `rel=css`
//! itself, and its `rel=inline` copies the file unminified: 5.7 KB brotli instead of 4.0.)
//!
//! Each file is checked against the integrity hash Trunk gave its link before it goes in. The
//! server allows the element by its SHA-256 hash, which it takes from the built page when it
//! starts (`server/src/security.rs`), so the policy never needs `unsafe-inline`. Run again on its
//! own output, the step finds no links and leaves the page as it is.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha384};

/// The id of the `<style>` element this step writes.
pub const STYLE_ID: &str = "broadsheet-style";

/// The file this step also writes for the server: the same CSS without the stylesheets the
/// fronts' first screens (home, sections, tags, authors, search) do not use, which the server
/// puts in their pages in place of the whole (`server/src/head.rs`); the app adds the whole once
/// it is asked for (`postbuild/start.js`). The home page is then about 940 B smaller
/// compressed, room in its first round trip for its lead picture (`server/src/pictures.rs`).
pub const FRONTS_FILE: &str = "first-screen-fronts.css";

/// The stylesheets (by their source's name, as Trunk's hashed file begins) that only article
/// pages and the app's own pages (embeds) use: what [`FRONTS_FILE`] leaves out.
const NOT_ON_FRONTS: [&str; 4] = ["article", "comments", "share", "embed"];

/// Whether the built stylesheet at `path` (`/article-<hash>.css`) is one of [`NOT_ON_FRONTS`].
fn not_on_fronts(path: &str) -> bool {
    let name = path.trim_start_matches('/').trim_end_matches(".css");
    let source = name.rsplit_once('-').map_or(name, |(source, _)| source);
    NOT_ON_FRONTS.contains(&source)
}

/// One stylesheet link of the built page.
struct Link {
    /// Where the element is in the page, from `<link` to its `>`.
    start: usize,
    end: usize,
    href: String,
    integrity: Option<String>,
}

/// The value of `name` among a tag's attributes, quoted or not. Trunk's values (paths, base64
/// hashes, keywords) hold no spaces.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    tag.split_whitespace().find_map(|attr| {
        let value = attr.strip_prefix(name)?.strip_prefix('=')?;
        Some(value.trim_end_matches('/').trim_matches(['"', '\'']))
    })
}

/// The page's `<link rel=stylesheet>` elements, in order.
fn stylesheet_links(html: &str) -> Result<Vec<Link>> {
    let mut links = Vec::new();
    for (start, _) in html.match_indices("<link") {
        let end = html[start..].find('>').context("unterminated <link>")? + start + 1;
        let tag = &html[start..end - 1];
        if attribute(tag, "rel") != Some("stylesheet") {
            continue;
        }
        if attribute(tag, "media").is_some() {
            bail!("a stylesheet link with a media attribute: put the rule in an @media block");
        }
        let href = attribute(tag, "href")
            .with_context(|| format!("a stylesheet link without href: {tag}"))?;
        links.push(Link {
            start,
            end,
            href: href.to_owned(),
            integrity: attribute(tag, "integrity").map(str::to_owned),
        });
    }
    Ok(links)
}

/// What [`inline`] made of the page's stylesheets.
#[derive(Debug)]
pub struct Inlined {
    /// `index.html` with them in one `<style>` element.
    pub page: String,
    /// The files that went in (for the caller to remove from the site).
    pub files: Vec<String>,
    /// The fronts' CSS ([`FRONTS_FILE`]); `None` when there was nothing to inline.
    pub fronts: Option<String>,
}

/// Appends a stylesheet's text to `css`, on a line of its own.
fn append(css: &mut String, text: &str) {
    if !css.is_empty() && !css.ends_with('\n') {
        css.push('\n');
    }
    css.push_str(text.trim_end());
}

/// `index.html` with its linked stylesheets in one `<style>` element; see [`Inlined`].
pub fn inline(html: &str, dist: &Path) -> Result<Inlined> {
    let links = stylesheet_links(html)?;
    if links.is_empty() {
        return Ok(Inlined {
            page: html.to_owned(),
            files: Vec::new(),
            fronts: None,
        });
    }
    let mut css = String::new();
    let mut fronts = String::new();
    let mut files = Vec::new();
    for link in &links {
        let path = link.href.as_str();
        if !path.starts_with('/') || path.starts_with("//") || !path.ends_with(".css") {
            bail!("a stylesheet that is not one of the built files: {path:?}");
        }
        let bytes = fs::read(dist.join(path.trim_start_matches('/')))
            .with_context(|| format!("reading {path} to inline it"))?;
        if let Some(expected) = &link.integrity {
            let actual = format!("sha384-{}", STANDARD.encode(Sha384::digest(&bytes)));
            if &actual != expected {
                bail!(
                    "{path} does not match its integrity hash ({expected}, the file is {actual})"
                );
            }
        }
        let text = String::from_utf8(bytes).with_context(|| format!("{path} is not UTF-8 text"))?;
        if text.to_ascii_lowercase().contains("</style") {
            bail!("{path} contains </style, which would end the inline element");
        }
        append(&mut css, &text);
        if !not_on_fronts(path) {
            append(&mut fronts, &text);
        }
        files.push(path.to_owned());
    }
    let mut out = String::with_capacity(html.len() + css.len());
    let mut at = 0;
    for (i, link) in links.iter().enumerate() {
        out.push_str(&html[at..link.start]);
        if i == 0 {
            out.push_str(&format!("<style id={STYLE_ID}>{css}</style>"));
        }
        at = link.end;
    }
    out.push_str(&html[at..]);
    Ok(Inlined {
        page: out,
        files,
        fronts: Some(fronts),
    })
}

/// Inlines the page's stylesheets (see [`inline`]), removes their files from `dist` and writes
/// the fronts' CSS ([`FRONTS_FILE`]).
pub fn write(html: &str, dist: &Path) -> Result<String> {
    let Inlined {
        page,
        files,
        fronts,
    } = inline(html, dist)?;
    for file in files {
        let path = dist.join(file.trim_start_matches('/'));
        fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
    }
    if let Some(fronts) = fronts {
        fs::write(dist.join(FRONTS_FILE), fronts)?;
    }
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sri(text: &str) -> String {
        format!(
            "sha384-{}",
            STANDARD.encode(Sha384::digest(text.as_bytes()))
        )
    }

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("a-1.css"), ":root{--x:1}\n").expect("css");
        fs::write(dir.path().join("b-2.css"), "@media print{p{color:#000}}").expect("css");
        dir
    }

    fn page() -> String {
        format!(
            "<title>B</title><link href=/a-1.css integrity={} rel=stylesheet>\n<link rel=\"stylesheet\" href=\"/b-2.css\"/><link rel=icon href=/i.svg>",
            sri(":root{--x:1}\n")
        )
    }

    #[test]
    fn puts_the_stylesheets_in_one_element_in_their_order() {
        let dir = site();
        let out = write(&page(), dir.path()).expect("inlines");
        assert_eq!(
            out,
            "<title>B</title><style id=broadsheet-style>:root{--x:1}\n@media print{p{color:#000}}</style>\n<link rel=icon href=/i.svg>"
        );
        assert!(!dir.path().join("a-1.css").exists());
        assert!(!dir.path().join("b-2.css").exists());
        // Again on its own output: nothing to do.
        assert_eq!(write(&out, dir.path()).expect("again"), out);
    }

    #[test]
    fn the_fronts_css_leaves_out_the_article_pages_own_in_the_same_order() {
        let dir = site();
        fs::write(dir.path().join("article-3.css"), ".story{x:1}").expect("css");
        fs::write(dir.path().join("story-list-4.css"), ".lead{x:2}").expect("css");
        let html = page().replace(
            "<link rel=icon",
            "<link rel=stylesheet href=/article-3.css><link rel=stylesheet href=/story-list-4.css><link rel=icon",
        );
        let out = write(&html, dir.path()).expect("inlines");
        assert!(
            out.contains(
                ":root{--x:1}\n@media print{p{color:#000}}\n.story{x:1}\n.lead{x:2}</style>"
            ),
            "{out}"
        );
        let fronts = fs::read_to_string(dir.path().join(FRONTS_FILE)).expect("the fronts' CSS");
        assert_eq!(
            fronts,
            ":root{--x:1}\n@media print{p{color:#000}}\n.lead{x:2}"
        );
        assert!(not_on_fronts("/comments-0123abcd.css") && !not_on_fronts("/story-list-4.css"));
    }

    #[test]
    fn refuses_a_file_that_is_not_what_its_link_says() {
        let dir = site();
        fs::write(dir.path().join("a-1.css"), ":root{--x:2}\n").expect("css");
        let err = inline(&page(), dir.path()).expect_err("tampered");
        assert!(err.to_string().contains("integrity"), "{err}");
    }

    #[test]
    fn refuses_what_it_cannot_inline() {
        let dir = site();
        let elsewhere = page().replace("/b-2.css", "https://cdn.example/b.css");
        assert!(inline(&elsewhere, dir.path()).is_err(), "not ours");
        let missing = page().replace("/b-2.css", "/gone.css");
        assert!(inline(&missing, dir.path()).is_err(), "no such file");
        let media = page().replace("rel=\"stylesheet\"", "rel=stylesheet media=print");
        assert!(inline(&media, dir.path()).is_err(), "media");
        fs::write(dir.path().join("b-2.css"), "p{}</style><script>").expect("css");
        assert!(inline(&page(), dir.path()).is_err(), "ends the element");
    }
}
