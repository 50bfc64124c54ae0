//! The Broadsheet API contract, version 1.
//!
//! These serde types are the only description of what crosses the wire between the API server and
//! the app: both sides depend on this crate, so the contract cannot drift. Decoding is lenient where
//! a reader benefits (unknown fields are ignored, an unknown or malformed body block is skipped and
//! reported) and strict where data enters our database ([`Article::validate`]).

mod body;
mod comment;
mod lang;
mod link;
mod listing;
#[cfg(feature = "openapi")]
mod openapi;
mod reading_time;
mod search;
mod time_stamp;
mod validate;

use serde::{Deserialize, Serialize};

pub use body::{Block, Body, Run, SkippedBlock, paragraph_runs};
pub use comment::{
    BODY_MAX, Comment, CommentPage, FieldError, FieldProblem, NICKNAME_MAX, NewComment,
    ValidComment, body_problem, char_count, is_valid_idempotency_key, nickname_problem,
    normalize_body, validate_comment,
};
pub use lang::{Direction, LANG_MAX, direction, is_valid_lang};
pub use link::{safe_href, safe_src};
pub use listing::{Listing, author_slug, normalize_tag, normalize_tags};
pub use reading_time::{
    CJK_CHARS_PER_MINUTE, TextCount, WORDS_PER_MINUTE, is_cjk, reading_minutes,
};
pub use search::{Marked, SearchHit, SearchResults};
pub use time_stamp::Timestamp;
pub use validate::{Problem, is_valid_slug};

/// The section an article belongs to, e.g. `{"slug": "world", "name": "World"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Section {
    pub slug: String,
    pub name: String,
}

/// Who wrote the article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Byline {
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
}

/// An image with the dimensions the page needs to reserve its space before it loads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Image {
    pub src: String,
    pub alt: String,
    #[serde(default)]
    pub caption: Option<String>,
    #[serde(default)]
    pub credit: Option<String>,
    pub width: u32,
    pub height: u32,
    /// True when the source gave no size and `width`/`height` are a frame chosen for it (the
    /// feed import's 16:9): the page reserves the frame and shows the whole picture inside it
    /// (`object-fit: contain`), so nothing moves when the picture arrives.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub framed: bool,
}

/// A whole article, as `GET /api/articles/{slug}` returns it and as the import reads it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Article {
    pub slug: String,
    pub section: Section,
    pub headline: String,
    #[serde(default)]
    pub standfirst: Option<String>,
    #[serde(default)]
    pub byline: Option<Byline>,
    #[serde(default)]
    pub source: Option<String>,
    pub published_at: Timestamp,
    #[serde(default)]
    pub updated_at: Option<Timestamp>,
    /// Optional in an import file; always present in API responses.
    #[serde(default)]
    pub views: u64,
    /// Optional in an import file; always present in API responses.
    #[serde(default)]
    pub comment_count: u64,
    #[serde(default)]
    pub image: Option<Image>,
    pub body: Body,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub editors_pick: bool,
    /// The language the article is written in, a BCP 47 tag ("ko", "ar-EG"); absent, the site's
    /// (the server's `--lang`). Pages give the article this `lang` and the matching `dir`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(example = "ar", max_length = 35))]
    pub lang: Option<String>,
}

impl Article {
    /// The `lang` and `dir` attributes of the article's element: both absent when the article
    /// names no language, so it takes the page's.
    pub fn lang_dir(&self) -> (Option<String>, Option<&'static str>) {
        let dir = self.lang.as_deref().map(|l| direction(l).as_str());
        (self.lang.clone(), dir)
    }

    /// A sentence or two about the article for previews and `<meta name="description">`: the
    /// standfirst, or else the first paragraph, cut at a word boundary to at most `max` characters.
    pub fn description(&self, max: usize) -> String {
        let first_paragraph = self.body.blocks.iter().find_map(|b| match b {
            Block::Paragraph { text, .. } => Some(text.as_str()),
            _ => None,
        });
        describe(
            self.standfirst.as_deref().or(first_paragraph),
            &self.headline,
            max,
        )
    }
}

/// [`Article::description`] from its parts: `source` (the standfirst, or else the first
/// paragraph), or the headline when there is neither, on one line and cut at a word boundary
/// to at most `max` characters.
pub fn describe(source: Option<&str>, headline: &str, max: usize) -> String {
    let text = source.unwrap_or(headline);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let keep = max.saturating_sub(1);
    let mut cut: String = text.chars().take(keep).collect();
    // Cut at a word boundary: unless the next character is a space, drop the partial word.
    let at_boundary = text.chars().nth(keep).is_some_and(char::is_whitespace);
    if !at_boundary && let Some(space) = cut.rfind(' ') {
        cut.truncate(space);
    }
    cut.push('…');
    cut
}

/// What a list of articles shows of each one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleSummary {
    pub slug: String,
    pub section: Section,
    pub headline: String,
    #[serde(default)]
    pub standfirst: Option<String>,
    #[serde(default)]
    pub byline: Option<Byline>,
    pub published_at: Timestamp,
    #[serde(default)]
    pub image: Option<Image>,
}

impl From<&Article> for ArticleSummary {
    fn from(a: &Article) -> Self {
        ArticleSummary {
            slug: a.slug.clone(),
            section: a.section.clone(),
            headline: a.headline.clone(),
            standfirst: a.standfirst.clone(),
            byline: a.byline.clone(),
            published_at: a.published_at,
            image: a.image.clone(),
        }
    }
}

/// A sidebar module: "Popular Now", "You May Also Like"… computed by the server for a page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Module {
    /// Stable and unique on a page, e.g. `popular-now`.
    pub id: String,
    pub title: String,
    /// Whether the items are ranked (shown 1–5).
    pub numbered: bool,
    pub items: Vec<ModuleItem>,
}

/// One story in a module.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModuleItem {
    pub rank: u32,
    pub slug: String,
    pub headline: String,
    pub section: Section,
}

/// The home page: a lead story and the latest stories of each section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Front {
    #[serde(default)]
    pub lead: Option<ArticleSummary>,
    pub sections: Vec<SectionFront>,
}

/// A section's newest stories, on the home page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SectionFront {
    pub section: Section,
    pub items: Vec<ArticleSummary>,
}

/// One page of a cursor-paginated list. `next_cursor` is opaque: pass it back as `?cursor=`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    #[serde(default)]
    pub next_cursor: Option<String>,
}

/// The body of every error response: `{"error": {"code", "message"}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub error: ErrorBody,
}

/// A machine-readable `code` (e.g. `not_found`) and a sentence for people; for a request that
/// failed validation (422), a sentence per field in `fields`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub fields: std::collections::BTreeMap<String, String>,
}

impl ApiError {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError {
            error: ErrorBody {
                code: code.into(),
                message: message.into(),
                fields: Default::default(),
            },
        }
    }
}

#[cfg(test)]
mod tests;
