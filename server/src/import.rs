//! `broadsheet-server import FILE.json`: validate everything, then write it in one transaction.

use std::collections::HashSet;

use broadsheet_model::{Article, Problem};
use rusqlite::{Connection, params};

/// An article from an import file, with the counters the file gave (if any).
pub struct ImportItem {
    pub article: Article,
    pub views: Option<u64>,
    pub comment_count: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is not a JSON array of articles: {0}")]
    NotJson(serde_json::Error),
    #[error("the file has {} problem(s); nothing was imported:\n{}", .0.len(), list(.0))]
    Invalid(Vec<Problem>),
    #[error("database error; nothing was imported: {0}")]
    Database(#[from] rusqlite::Error),
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
            comment_count: counter("comment_count"),
            article,
        });
    }
    if problems.is_empty() {
        Ok(items)
    } else {
        Err(ImportError::Invalid(problems))
    }
}

/// Writes validated articles in one transaction; an existing slug is updated.
pub fn write(conn: &mut Connection, items: &[ImportItem]) -> Result<usize, ImportError> {
    let tx = conn.transaction()?;
    for item in items {
        let a = &item.article;
        tx.execute(
            "INSERT INTO sections (slug, name) VALUES (?1, ?2)
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name",
            params![a.section.slug, a.section.name],
        )?;
        let section_id: i64 = tx.query_row(
            "SELECT id FROM sections WHERE slug = ?1",
            [&a.section.slug],
            |r| r.get(0),
        )?;
        // The counters live in their own columns; the stored document leaves them out.
        let mut doc = a.clone();
        doc.views = 0;
        doc.comment_count = 0;
        let doc = serde_json::to_string(&doc).map_err(|e| {
            ImportError::Invalid(vec![Problem {
                path: a.slug.clone(),
                message: e.to_string(),
            }])
        })?;
        let views = item.views.map(|v| i64::try_from(v).unwrap_or(i64::MAX));
        let comments = item
            .comment_count
            .map(|v| i64::try_from(v).unwrap_or(i64::MAX));
        tx.execute(
            "INSERT INTO articles (slug, section_id, headline, published_at, editors_pick, views, comment_count, doc)
             VALUES (?1, ?2, ?3, ?4, ?5, COALESCE(?6, 0), COALESCE(?7, 0), ?8)
             ON CONFLICT (slug) DO UPDATE SET
                section_id = excluded.section_id, headline = excluded.headline,
                published_at = excluded.published_at, editors_pick = excluded.editors_pick,
                views = COALESCE(?6, views), comment_count = COALESCE(?7, comment_count),
                doc = excluded.doc",
            params![
                a.slug,
                section_id,
                a.headline,
                a.published_at.unix_seconds(),
                a.editors_pick,
                views,
                comments,
                doc
            ],
        )?;
        let article_id: i64 =
            tx.query_row("SELECT id FROM articles WHERE slug = ?1", [&a.slug], |r| {
                r.get(0)
            })?;
        tx.execute(
            "DELETE FROM article_tags WHERE article_id = ?1",
            [article_id],
        )?;
        for tag in &a.tags {
            tx.execute(
                "INSERT OR IGNORE INTO article_tags (article_id, tag) VALUES (?1, ?2)",
                params![article_id, tag],
            )?;
        }
    }
    tx.commit()?;
    Ok(items.len())
}

/// Parses, validates and writes an import file; on any problem nothing is written.
pub fn import(conn: &mut Connection, text: &str) -> Result<usize, ImportError> {
    let items = parse(text)?;
    write(conn, &items)
}
