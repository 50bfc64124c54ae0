//! What `GET /api/search` answers: results with the query's words marked as typed runs (never
//! HTML: the app renders a marked run as a `<mark>` element around a text node).

use serde::{Deserialize, Serialize};

use crate::ArticleSummary;

/// A piece of text, marked when it shows a word of the query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Marked {
    pub text: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub marked: bool,
}

impl Marked {
    /// Text with nothing marked.
    pub fn plain(text: impl Into<String>) -> Marked {
        Marked {
            text: text.into(),
            marked: false,
        }
    }
}

/// One result: the story, its headline as runs, and a short passage as runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    pub story: ArticleSummary,
    /// The headline, the query's words marked (the runs spell out `story.headline`).
    pub headline: Vec<Marked>,
    /// Where the words appear in the standfirst or body, or else the article's description.
    pub snippet: Vec<Marked>,
}

/// A page of results, stories whose headline holds every word first, then the rest; newest
/// first within each. `next_cursor` is opaque: pass it back as `?cursor=`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResults {
    /// The query as searched for (trimmed).
    pub query: String,
    pub items: Vec<SearchHit>,
    #[serde(default)]
    pub next_cursor: Option<String>,
    /// When the first page has no results: the newest stories, to read instead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub latest: Vec<ArticleSummary>,
}
