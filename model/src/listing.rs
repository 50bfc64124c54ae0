//! Tag and author pages: how a tag is kept and an author is named in addresses, and the list of
//! stories such a page shows.

use serde::{Deserialize, Serialize};

use crate::ArticleSummary;

/// The address name of an author, from the byline's name: lowercase, letters and digits of any
/// script kept (so "김민지" stays "김민지"), every other run of characters one `-`, none at
/// either end. Empty when the name has no letter or digit (such a byline has no page).
///
/// Letters and digits are `char::is_alphanumeric`'s (Unicode's Alphabetic property and the
/// Number categories) and lowercase is `char::to_lowercase`, one character at a time. The
/// server decides with Rust's own Unicode tables; the browser asks its JavaScript engine the same
/// questions (`\p{Alphabetic}`, `\p{N}`, `toLowerCase`), so the wasm carries none of those
/// tables. The app's wasm tests check that both give the same slugs (`tests/text_rules.rs`) in
/// the Chromium the tests run; a browser with older Unicode data may slug a letter newer than its
/// data differently, and that byline's link then misses the author's page.
pub fn author_slug(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    let mut gap = false;
    for c in name.chars() {
        if chars::is_alphanumeric(c) {
            if gap && !slug.is_empty() {
                slug.push('-');
            }
            gap = false;
            chars::push_lowercase(&mut slug, c);
        } else {
            gap = true;
        }
    }
    slug
}

#[cfg(not(target_arch = "wasm32"))]
mod chars {
    pub fn is_alphanumeric(c: char) -> bool {
        c.is_alphanumeric()
    }

    pub fn push_lowercase(out: &mut String, c: char) {
        out.extend(c.to_lowercase());
    }
}

#[cfg(target_arch = "wasm32")]
mod chars {
    use js_sys::{JsString, RegExp};

    thread_local! {
        static ALPHANUMERIC: RegExp = RegExp::new(r"^[\p{Alphabetic}\p{N}]$", "u");
    }

    pub fn is_alphanumeric(c: char) -> bool {
        // ASCII, the usual case, without a call into JavaScript.
        if c.is_ascii() {
            return c.is_ascii_alphanumeric();
        }
        ALPHANUMERIC.with(|re| re.test(c.encode_utf8(&mut [0; 4])))
    }

    /// One character at a time, as `char::to_lowercase` does: `toLowerCase` on a whole string
    /// would apply the final-sigma rule ("ΟΔΥΣΣΕΥΣ" → "οδυσσευς"), which Rust's does not.
    pub fn push_lowercase(out: &mut String, c: char) {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.push_str(&String::from(
                JsString::from(&*c.encode_utf8(&mut [0; 4])).to_lower_case(),
            ));
        }
    }
}

/// A tag as it is stored: trimmed, each run of white space one space. Empty for a blank tag.
pub fn normalize_tag(tag: &str) -> String {
    tag.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An article's tags as they are stored: each [`normalize_tag`]ged, blank ones and repeats
/// (after normalising) left out, in their order.
pub fn normalize_tags(tags: &[String]) -> Vec<String> {
    let mut kept: Vec<String> = Vec::with_capacity(tags.len());
    for tag in tags.iter().map(|t| normalize_tag(t)) {
        if !tag.is_empty() && !kept.contains(&tag) {
            kept.push(tag);
        }
    }
    kept
}

/// One page of a tag's or an author's stories, newest first (`GET /api/tags/{tag}`,
/// `GET /api/authors/{slug}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Listing {
    /// What the page is about, as readers see it: the tag, or the author's name as the
    /// newest of their bylines gives it.
    pub name: String,
    pub items: Vec<ArticleSummary>,
    /// Opaque: pass it back as `?cursor=` for the next page; absent on the last page.
    #[serde(default)]
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_slugs() {
        for (name, slug) in [
            ("Mina Park", "mina-park"),
            ("  Mina   Park ", "mina-park"),
            ("Jean-Luc O'Neil", "jean-luc-o-neil"),
            ("김민지", "김민지"),
            ("김 민지 기자", "김-민지-기자"),
            ("Zoë ÅSTRÖM", "zoë-åström"),
            ("Agent 007", "agent-007"),
            ("!!!", ""),
            ("", ""),
        ] {
            assert_eq!(author_slug(name), slug, "{name}");
        }
    }

    #[test]
    fn tags_are_trimmed_collapsed_and_kept_once() {
        let tags: Vec<String> = [
            "  trade ",
            "sea\tports",
            "",
            "   ",
            "trade",
            "Trade",
            "a/b?c",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        assert_eq!(
            normalize_tags(&tags),
            ["trade", "sea ports", "Trade", "a/b?c"]
        );
    }
}
