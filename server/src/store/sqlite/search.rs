//! Full-text search on SQLite: the FTS5 tables `article_search` (every word of an article, and
//! its headline's as a column) and `article_headlines` (headlines alone, for the first tier of
//! results), whose rows the import writes with each article (`write`) and the server fills in
//! for older articles (`backfill`). A row's rowid is the article's place in time, negated
//! ([`key`]), so a word's matches come out of the index newest first, walking forwards, and a
//! page reads only its own rows.

use broadsheet_model::{Article, Page};
use rusqlite::{Connection, Transaction, params};

use crate::store::StoreError;
use crate::store::search::{self, SearchCursor};

/// Bits of a search rowid that hold the article's id: ids below 2^28 (268 million), times
/// within ±2^35 s (about 1,000 years) of 1970.
const ID_BITS: u32 = 28;
const ID_MASK: i64 = (1 << ID_BITS) - 1;

/// The search rowid of the article `id` published at `published`: ordered as `(published, id)`
/// descending, newest first (FTS5 walks a word's rows forwards much faster than backwards).
/// Saturates outside the range, which keeps the order for a cursor's bound.
fn key(published: i64, id: i64) -> i64 {
    published
        .saturating_mul(1 << ID_BITS)
        .saturating_add(id.clamp(0, 1 << ID_BITS))
        .saturating_neg()
}

/// The `(published, id)` of a search rowid.
fn unkey(rowid: i64) -> (i64, i64) {
    let place = rowid.saturating_neg();
    (place >> ID_BITS, place & ID_MASK)
}

/// Writes (or rewrites) the search row of the article with row id `id`; `was_published` is
/// when it was published before this write, if it was stored already (its old row's key).
pub(super) fn write(
    tx: &Transaction,
    id: i64,
    was_published: Option<i64>,
    article: &Article,
) -> Result<(), StoreError> {
    if !(0..=ID_MASK).contains(&id) {
        return Err(StoreError::Database(
            format!("article id {id} is beyond what search can index").into(),
        ));
    }
    let indexed = search::index(article);
    // Only a stored article has a row to delete: deleting an absent rowid from a contentless
    // table still writes a tombstone.
    if let Some(was) = was_published {
        tx.prepare_cached("DELETE FROM article_search WHERE rowid = ?1")?
            .execute([key(was, id)])?;
        tx.prepare_cached("DELETE FROM article_headlines WHERE rowid = ?1")?
            .execute([key(was, id)])?;
    }
    let rowid = key(article.published_at.unix_seconds(), id);
    tx.prepare_cached("INSERT INTO article_search (rowid, head, terms) VALUES (?1, ?2, ?3)")?
        .execute(params![rowid, indexed.headline, indexed.all])?;
    tx.prepare_cached("INSERT INTO article_headlines (rowid, head) VALUES (?1, ?2)")?
        .execute(params![rowid, indexed.headline])?;
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
                 WHERE -(published_at * 268435456 + id) NOT IN (SELECT rowid FROM article_search)
                 ORDER BY id LIMIT 1000",
            )?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?
        };
        if batch.is_empty() {
            drop(tx);
            if written > 0 {
                // The batches left the indexes in many small pieces: merged into one, a word's
                // matches are one list (at 100,000 articles: 1.7 s, once).
                conn.execute_batch(
                    "INSERT INTO article_search (article_search) VALUES ('optimize');
                     INSERT INTO article_headlines (article_headlines) VALUES ('optimize');",
                )?;
            }
            return Ok(written);
        }
        for (id, doc) in &batch {
            let article: Article = serde_json::from_str(doc)?;
            // Its headline row may be there (only `article_search`'s was lost): one row each.
            let rowid = key(article.published_at.unix_seconds(), *id);
            tx.prepare_cached("DELETE FROM article_headlines WHERE rowid = ?1")?
                .execute([rowid])?;
            write(&tx, *id, None, &article)?;
        }
        tx.commit()?;
        written += batch.len();
    }
}

/// The articles holding every term, those whose headline holds them all first (tier 1, from
/// the headlines' own index), then the rest (tier 0), each newest first; `limit` after
/// `cursor`. One indexed walk per tier, newest first (ascending rowids), stopping at the page's
/// end; the second tier is read only when the first runs out on this page.
pub(super) fn search(
    conn: &Connection,
    terms: &[String],
    limit: u32,
    cursor: Option<SearchCursor>,
) -> Result<Page<(String, SearchCursor)>, StoreError> {
    let after = cursor.unwrap_or_else(SearchCursor::start);
    let (all, head) = search::fts5_queries(terms);
    // Tier 0: every term somewhere, but not every one in the headline.
    let rest = format!("({all}) NOT ({head})");
    let want = limit as usize + 1;
    let mut found: Vec<(SearchCursor, String)> = Vec::new();
    let tiers = [
        (1, "article_headlines", all.as_str()),
        (0, "article_search", rest.as_str()),
    ];
    for (tier, table, query) in tiers {
        if found.len() == want || tier > after.tier.min(1) {
            continue;
        }
        let past = if tier == after.tier.min(1) {
            key(after.published, after.id)
        } else {
            i64::MIN
        };
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT m.rowid, a.doc FROM (
                 SELECT rowid FROM {table}
                 WHERE {table} MATCH ?1 AND rowid > ?2 ORDER BY rowid LIMIT ?3) m
             JOIN articles a ON a.id = -m.rowid & 268435455
             ORDER BY m.rowid"
        ))?;
        let rows = stmt.query_map(params![query, past, (want - found.len()) as i64], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (rowid, doc) = row?;
            let (published, id) = unkey(rowid);
            found.push((
                SearchCursor {
                    tier,
                    published,
                    id,
                },
                doc,
            ));
        }
    }
    let more = found.len() > limit as usize;
    found.truncate(limit as usize);
    let next_cursor = more
        .then(|| found.last().map(|(at, _)| at.encode()))
        .flatten();
    let items = found.into_iter().map(|(at, doc)| (doc, at)).collect();
    Ok(Page { items, next_cursor })
}
