//! An article body: a list of typed blocks, never HTML.

use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::Image;

/// One block of an article body, tagged by `"type"`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Block {
    /// A paragraph. `text` is the plain text; `runs`, when present, is the same text cut into
    /// pieces that carry inline marks (bold, italic, a link). A reader that ignores `runs` still
    /// shows the whole paragraph.
    Paragraph {
        text: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        runs: Vec<Run>,
    },
    Heading {
        text: String,
    },
    Quote {
        text: String,
        #[serde(default)]
        cite: Option<String>,
    },
    Image(Image),
    List {
        ordered: bool,
        items: Vec<String>,
    },
}

impl Block {
    /// The block's `"type"` tag.
    pub fn kind(&self) -> &'static str {
        match self {
            Block::Paragraph { .. } => "paragraph",
            Block::Heading { .. } => "heading",
            Block::Quote { .. } => "quote",
            Block::Image(_) => "image",
            Block::List { .. } => "list",
        }
    }
}

/// A piece of a paragraph with its inline marks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Run {
    pub text: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bold: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub italic: bool,
    /// A link target. Only http, https and mailto targets are ever rendered as links
    /// (see [`crate::safe_href`]); anything else shows as plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

impl Run {
    pub fn plain(text: impl Into<String>) -> Self {
        Run {
            text: text.into(),
            bold: false,
            italic: false,
            link: None,
        }
    }
}

/// The runs to render for a paragraph: its `runs` when they spell out exactly its `text`, and
/// otherwise the plain text, so a paragraph never shows something other than its text.
pub fn paragraph_runs(text: &str, runs: &[Run]) -> Vec<Run> {
    if runs_match_text(text, runs) {
        runs.to_vec()
    } else {
        vec![Run::plain(text)]
    }
}

pub(crate) fn runs_match_text(text: &str, runs: &[Run]) -> bool {
    if runs.is_empty() {
        return false;
    }
    let mut rest = text;
    for run in runs {
        match rest.strip_prefix(run.text.as_str()) {
            Some(tail) => rest = tail,
            None => return false,
        }
    }
    rest.is_empty()
}

/// A body block that could not be decoded and was left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedBlock {
    /// Its position in the body as sent.
    pub index: usize,
    /// Its `"type"`, if it had a string one.
    pub kind: Option<String>,
    /// Why it was left out.
    pub reason: String,
}

/// An article body. It decodes leniently: a block of an unknown type, or a malformed block, is
/// left out of `blocks` and recorded in `skipped`, so one bad block never hides the article.
/// It encodes as the plain array of `blocks`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Body {
    pub blocks: Vec<Block>,
    pub skipped: Vec<SkippedBlock>,
}

impl From<Vec<Block>> for Body {
    fn from(blocks: Vec<Block>) -> Self {
        Body {
            blocks,
            skipped: Vec::new(),
        }
    }
}

impl Serialize for Body {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.blocks.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Body {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(BodyVisitor)
    }
}

struct BodyVisitor;

impl<'de> Visitor<'de> for BodyVisitor {
    type Value = Body;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of body blocks")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Body, A::Error> {
        let mut body = Body::default();
        let mut index = 0;
        while let Some(value) = seq.next_element::<serde_json::Value>()? {
            let kind = value
                .get("type")
                .and_then(|t| t.as_str())
                .map(str::to_owned);
            match Block::deserialize(&value) {
                Ok(block) => body.blocks.push(block),
                Err(e) => body.skipped.push(SkippedBlock {
                    index,
                    reason: match &kind {
                        Some(k) if !KNOWN_KINDS.contains(&k.as_str()) => {
                            format!("unknown block type \"{k}\"")
                        }
                        _ => e.to_string(),
                    },
                    kind,
                }),
            }
            index += 1;
        }
        Ok(body)
    }
}

const KNOWN_KINDS: [&str; 5] = ["paragraph", "heading", "quote", "image", "list"];
