//! `broadsheet-server import FILE-OR-URL`: read a document (Broadsheet's own JSON, RSS, Atom,
//! JSON Feed, WordPress posts or ninjs), turn its items into validated articles, then have the
//! store write them in one transaction.
//!
//! - `document`: size limit, encoding, format detection, the XML safety pass;
//! - `feed` (RSS, Atom, JSON Feed through feed-rs), `wordpress`, `ninjs`: each format's items
//!   as [`item::Draft`]s;
//! - `html`: HTML → typed blocks; `item`: a draft → an article (slug, section, dates…);
//! - `report`: what happened; `fetch`: HTTP with a timeout and a size cap.
//!
//! A document that cannot be read is refused whole, saying what and where, and nothing is
//! written. In a good document an item that cannot become an article is skipped with its
//! reason; the rest are written together.

pub mod document;
pub mod error;
pub mod feed;
pub mod fetch;
pub mod html;
pub mod item;
pub mod ninjs;
pub mod report;
pub mod wordpress;

use std::collections::{HashMap, HashSet};

use broadsheet_model::{Article, Problem, Section};

pub use self::document::{Format, MAX_BYTES};
pub use self::error::ImportError;
pub use self::item::Options;
pub use self::report::{Changed, Report, Skipped};
pub use crate::store::ImportItem;
use crate::store::{Imported, Store};

fn at(index: usize, path: &str) -> String {
    if path.is_empty() || path == "." {
        format!("[{index}]")
    } else {
        format!("[{index}].{path}")
    }
}

/// Parses and validates an import file. Every problem is reported, each with its JSON path.
pub fn parse(text: &str) -> Result<Vec<ImportItem>, ImportError> {
    let values: Vec<serde_json::Value> =
        serde_json::from_str(text).map_err(ImportError::NotJson)?;
    let mut problems = Vec::new();
    let mut items = Vec::new();
    let mut slugs = HashSet::new();
    for (i, value) in values.iter().enumerate() {
        let article: Article = match serde_path_to_error::deserialize(value) {
            Ok(a) => a,
            Err(e) => {
                problems.push(Problem {
                    path: at(i, &e.path().to_string()),
                    message: e.into_inner().to_string(),
                });
                continue;
            }
        };
        problems.extend(article.validate().into_iter().map(|p| Problem {
            path: at(i, &p.path),
            message: p.message,
        }));
        if !slugs.insert(article.slug.clone()) {
            problems.push(Problem {
                path: at(i, "slug"),
                message: format!("\"{}\" appears more than once in the file", article.slug),
            });
        }
        let counter = |key: &str| value.get(key).and_then(serde_json::Value::as_u64);
        items.push(ImportItem {
            views: counter("views"),
            article,
        });
    }
    if problems.is_empty() {
        Ok(items)
    } else {
        Err(ImportError::Invalid(problems))
    }
}

/// Parses, validates and writes an import file; on any problem nothing is written.
pub async fn import(store: &dyn Store, text: &str) -> Result<Imported, ImportError> {
    let items = parse(text)?;
    Ok(store.import(items).await?)
}

/// A document read into articles, not yet written, with its report so far.
pub struct Prepared {
    pub items: Vec<ImportItem>,
    pub report: Report,
}

/// Reads a document of any format into validated articles; writes nothing. `base` is where it
/// came from (for relative addresses in it); `sections` are the site's, which categories are
/// matched against.
pub fn prepare(
    bytes: &[u8],
    format: Format,
    options: &Options,
    base: Option<&str>,
    sections: &[Section],
) -> Result<Prepared, ImportError> {
    let decoded = document::read(bytes, format)?;
    let mut dropped = html::Dropped::default();
    let mut doc = match decoded.format {
        Format::Broadsheet => {
            let items = parse(&decoded.text)?;
            return Ok(Prepared {
                report: Report {
                    format: Format::Broadsheet,
                    created: 0,
                    updated: 0,
                    skipped: Vec::new(),
                    dropped,
                    changed: changed(&items),
                },
                items,
            });
        }
        Format::Rss | Format::Atom | Format::Jsonfeed => {
            // JSON is read from its decoded text (a byte-order mark gone); XML from its bytes,
            // which feed-rs decodes by their declaration as `document` did.
            let source = if decoded.json.is_some() {
                decoded.text.as_bytes()
            } else {
                bytes
            };
            feed::read(
                source,
                decoded.format,
                decoded.json.as_ref(),
                base,
                &mut dropped,
            )?
        }
        Format::Wordpress => wordpress::read(
            decoded.json.as_ref().unwrap_or(&serde_json::Value::Null),
            &mut dropped,
        ),
        Format::Ninjs => ninjs::read(
            decoded.json.as_ref().unwrap_or(&serde_json::Value::Null),
            &mut dropped,
        ),
        // `document::read` always names the format it found.
        Format::Auto => {
            return Err(ImportError::NotAFeed(
                "its format could not be told".to_owned(),
            ));
        }
    };
    let mut skipped = Vec::new();
    let mut items: Vec<ImportItem> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let drafts = std::mem::take(&mut doc.items);
    for (i, result) in drafts.into_iter().enumerate() {
        let id = result.as_ref().map(|d| d.id.clone()).unwrap_or_default();
        let article = result.and_then(|draft| item::to_article(draft, &doc, options, sections));
        match article {
            Ok(article) => {
                if let Some(first) = seen.get(&article.slug) {
                    skipped.push(Skipped {
                        item: i + 1,
                        id,
                        reason: format!("it is the same item as item {first}"),
                    });
                    continue;
                }
                seen.insert(article.slug.clone(), i + 1);
                items.push(ImportItem {
                    article,
                    views: None,
                });
            }
            Err(reason) => skipped.push(Skipped {
                item: i + 1,
                id,
                reason,
            }),
        }
    }
    Ok(Prepared {
        report: Report {
            format: decoded.format,
            created: 0,
            updated: 0,
            skipped,
            dropped,
            changed: changed(&items),
        },
        items,
    })
}

fn changed(items: &[ImportItem]) -> Changed {
    let mut sections: Vec<String> = Vec::new();
    for item in items {
        if !sections.contains(&item.article.section.slug) {
            sections.push(item.article.section.slug.clone());
        }
    }
    Changed {
        articles: items.iter().map(|i| i.article.slug.clone()).collect(),
        sections,
    }
}

/// Reads and writes a document: every article it yields, in one transaction, or nothing.
pub async fn import_document(
    store: &dyn Store,
    bytes: &[u8],
    format: Format,
    options: &Options,
    base: Option<&str>,
) -> Result<Report, ImportError> {
    let sections = store.sections().await?;
    let Prepared { items, mut report } = prepare(bytes, format, options, base, &sections)?;
    if !items.is_empty() {
        let written = store.import(items).await?;
        report.created = written.created;
        report.updated = written.updated;
    }
    Ok(report)
}
