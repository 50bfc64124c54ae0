//! Tag and author pages: how a tag is kept and an author is named in addresses, and the list of
//! stories such a page shows.

use serde::{Deserialize, Serialize};

use crate::ArticleSummary;

/// The address name of an author, from the byline's name: lowercase, letters and digits of any
/// script kept (so "김민지" stays "김민지"), every other run of characters one `-`, none at
/// either end. Empty when the name has no letter or digit (such a byline has no page).
pub fn author_slug(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    let mut gap = false;
    for c in name.chars() {
        if c.is_alphanumeric() {
            if gap && !slug.is_empty() {
                slug.push('-');
            }
            gap = false;
            slug.extend(c.to_lowercase());
        } else {
            gap = true;
        }
    }
    slug
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
