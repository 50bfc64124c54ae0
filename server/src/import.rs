//! `broadsheet-server import FILE.json`: validate everything, then have the store write it in
//! one transaction.

use std::collections::HashSet;

use broadsheet_model::{Article, Problem};

pub use crate::store::ImportItem;
use crate::store::{Imported, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is not a JSON array of articles: {0}")]
    NotJson(serde_json::Error),
    #[error("the file has {} problem(s); nothing was imported:\n{}", .0.len(), list(.0))]
    Invalid(Vec<Problem>),
    #[error("nothing was imported: {0}")]
    Store(#[from] StoreError),
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

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
