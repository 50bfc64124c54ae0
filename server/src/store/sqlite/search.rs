//! Full-text search on SQLite: the FTS5 table `article_search` (migration 004), whose rows the
//! import writes with each article (`write`) and the server fills in for older articles
//! (`backfill`).

use broadsheet_model::{Article, Page};
use rusqlite::{Connection, Transaction, params};

use crate::store::StoreError;
use crate::store::search::{self, SearchCursor};

/// Writes (or rewrites) the search row of the article with row id `id`.
pub(super) fn write(tx: &Transaction, id: i64, article: &Article) -> Result<(), StoreError> {
    let indexed = search::index(article);
    tx.prepare_cached("DELETE FROM article_search WHERE rowid = ?1")?
        .execute([id])?;
    tx.prepare_cached(
        "INSERT INTO article_search (rowid, head, terms, published) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        id,
        indexed.headline,
        indexed.all,
        article.published_at.unix_seconds()
    ])?;
    Ok(())
}

/// Writes the search rows of articles that have none (stored before search existed), a batch
/// per transaction. Returns how many were written.
pub(super) fn backfill(conn: &mut Connection) -> Result<usize, StoreError> {
    let mut written = 0;
    loop {
        let tx = conn.transaction()?;
        let batch: Vec<(i64, String)> = {
            let mut stmt = tx.prepare(
                "SELECT id, doc FROM articles
                 WHERE id NOT IN (SELECT rowid FROM article_search) ORDER BY id LIMIT 1000",
            )?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?
        };
        if batch.is_empty() {
            return Ok(written);
        }
        for (id, doc) in &batch {
            let article: Article = serde_json::from_str(doc)?;
            write(&tx, *id, &article)?;
        }
        tx.commit()?;
        written += batch.len();
    }
}

/// The articles holding every term, those whose headline holds them all first, then newest
/// first; `limit` after `cursor`.
pub(super) fn search(
    conn: &Connection,
    terms: &[String],
    limit: u32,
    cursor: Option<SearchCursor>,
) -> Result<Page<(Article, SearchCursor)>, StoreError> {
    let after = cursor.unwrap_or_else(SearchCursor::start);
    let (all, head) = search::fts5_queries(terms);
    // The matches come from the FTS index; the headline's tier from the same index, asked once
    // for the query's headline matches. Only the page's rows are sorted with their documents: a
    // common word matches most of the archive.
    let mut stmt = conn.prepare_cached(
        "SELECT m.tier, m.published_at, m.id, a.doc FROM (
             SELECT tier, published_at, id FROM (
                 SELECT rowid AS id, published AS published_at,
                        rowid IN (SELECT rowid FROM article_search WHERE article_search MATCH ?2)
                            AS tier
                 FROM article_search WHERE article_search MATCH ?1)
             WHERE (tier, published_at, id) < (?3, ?4, ?5)
             ORDER BY tier DESC, published_at DESC, id DESC LIMIT ?6) m
         JOIN articles a ON a.id = m.id
         ORDER BY m.tier DESC, m.published_at DESC, m.id DESC",
    )?;
    let rows = stmt.query_map(
        params![all, head, after.tier, after.published, after.id, limit + 1],
        |r| {
            Ok((
                SearchCursor {
                    tier: r.get(0)?,
                    published: r.get(1)?,
                    id: r.get(2)?,
                },
                r.get::<_, String>(3)?,
            ))
        },
    )?;
    let mut items = Vec::new();
    let mut more = false;
    for row in rows {
        let (at, doc) = row?;
        if items.len() == limit as usize {
            more = true;
            break;
        }
        items.push((serde_json::from_str(&doc)?, at));
    }
    let next_cursor = more
        .then(|| {
            items
                .last()
                .map(|(_, at): &(Article, SearchCursor)| at.encode())
        })
        .flatten();
    Ok(Page { items, next_cursor })
}
