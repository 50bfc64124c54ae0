//! Full-text search on Postgres: the `search_head` and `search_all` tsvectors of `articles`
//! (migration 006, GIN-indexed), written by the import with each article (`write`) and filled
//! in by the server for older articles (`backfill`), and the headline's terms in date order
//! (`headline_terms`, migration 009, kept in step by a trigger). The terms are
//! `crate::store::search`'s, as in SQLite's FTS5 table, so both stores give the same answers.

use broadsheet_model::{Article, Page};
use std::fmt::Write as _;

use deadpool_postgres::GenericClient;
use tokio_postgres::types::ToSql;

use crate::store::StoreError;
use crate::store::search::{self, SearchCursor};

/// The statement that writes an article's terms: `$1` its id, `$2` and `$3` the headline's and
/// all its terms (text arrays, taken as lexemes without parsing).
pub(super) const WRITE: &str = "UPDATE articles
    SET search_head = array_to_tsvector($2::TEXT[]), search_all = array_to_tsvector($3::TEXT[])
    WHERE id = $1";

/// The parameters of [`WRITE`] for `article`.
pub(super) fn terms(article: &Article) -> (Vec<String>, Vec<String>) {
    let indexed = search::index(article);
    let split = |s: &str| {
        s.split(' ')
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect()
    };
    (split(&indexed.headline), split(&indexed.all))
}

/// Writes the terms of articles that have none (stored before search existed), a batch per
/// statement. Returns how many were written.
pub(super) async fn backfill(c: &impl GenericClient) -> Result<usize, StoreError> {
    let select = c
        .prepare_cached(
            "SELECT id, doc FROM articles WHERE search_all IS NULL ORDER BY id LIMIT 1000",
        )
        .await?;
    let write = c.prepare_cached(WRITE).await?;
    let mut written = 0;
    loop {
        let rows = c.query(&select, &[]).await?;
        if rows.is_empty() {
            return Ok(written);
        }
        for row in &rows {
            let id: i64 = row.get(0);
            let article: Article = serde_json::from_str(row.get::<_, &str>(1))?;
            let (head, all) = terms(&article);
            c.execute(&write, &[&id, &head, &all]).await?;
        }
        written += rows.len();
    }
}

/// Tier 1's statement for `terms` terms: the newest articles whose headline holds every term,
/// from `headline_terms` (migration 009), each term's rows a run of its primary key in date
/// order, joined on (published_at, article_id): a merge of the runs, read newest first and
/// stopped at the page's end. `$1, $2`: the cursor; `$3`: how many; `$4…`: the terms.
fn headline_tier(terms: usize) -> String {
    let mut sql = String::from(
        "SELECT h.published_at, h.article_id, a.doc FROM (
             SELECT t0.published_at, t0.article_id FROM headline_terms t0",
    );
    for i in 1..terms {
        let _ = write!(
            sql,
            " JOIN headline_terms t{i} ON t{i}.term = ${} AND t{i}.published_at = t0.published_at
                 AND t{i}.article_id = t0.article_id AND (t{i}.published_at, t{i}.article_id) < ($1, $2)",
            i + 4
        );
    }
    sql.push_str(
        " WHERE t0.term = $4 AND (t0.published_at, t0.article_id) < ($1, $2)
             ORDER BY t0.published_at DESC, t0.article_id DESC LIMIT $3) h
         JOIN articles a ON a.id = h.article_id
         ORDER BY h.published_at DESC, h.article_id DESC",
    );
    sql
}

/// The articles holding every term, those whose headline holds them all first (tier 1), then
/// the rest (tier 0), each newest first; `limit` after `cursor` (the rule of SQLite's
/// `search::search`). One query per tier, each able to stop at the page's end; the second
/// tier is read only when the first runs out on this page.
pub(super) async fn search(
    c: &impl GenericClient,
    terms: &[String],
    limit: u32,
    cursor: Option<SearchCursor>,
) -> Result<Page<(String, SearchCursor)>, StoreError> {
    let after = cursor.unwrap_or_else(SearchCursor::start);
    let want = limit as usize + 1;
    let mut found: Vec<(SearchCursor, String)> = Vec::new();
    if terms.is_empty() {
        return Ok(Page {
            items: Vec::new(),
            next_cursor: None,
        });
    }
    let at = |tier: i64| {
        if tier == after.tier.min(1) {
            (after.published, after.id)
        } else {
            (i64::MAX, i64::MAX)
        }
    };
    // Tier 1: one statement per number of terms, prepared once (its plan is the merge join
    // whatever the words).
    if after.tier >= 1 {
        let (published, id) = at(1);
        let stmt = c.prepare_cached(&headline_tier(terms.len())).await?;
        let rest = want as i64;
        let mut params: Vec<&(dyn ToSql + Sync)> = vec![&published, &id, &rest];
        params.extend(terms.iter().map(|t| t as &(dyn ToSql + Sync)));
        for row in c.query(&stmt, &params).await? {
            let at = SearchCursor {
                tier: 1,
                published: row.get(0),
                id: row.get(1),
            };
            found.push((at, row.get(2)));
        }
    }
    if found.len() < want {
        // Tier 0: every term somewhere, not all in the headline. Not a cached statement: an
        // unnamed one is planned for its own words every time, so the planner can choose per
        // word between the GIN index (a rare word) and walking `articles_newest` (a common
        // one); a prepared one turns generic after five runs.
        let (published, id) = at(0);
        let query = search::tsquery(terms);
        let sql = "SELECT published_at, id, doc FROM articles
             WHERE search_all @@ $1::TEXT::TSQUERY AND NOT search_head @@ $1::TEXT::TSQUERY
               AND (published_at, id) < ($2, $3)
             ORDER BY published_at DESC, id DESC LIMIT $4";
        let rest = (want - found.len()) as i64;
        for row in c.query(sql, &[&query, &published, &id, &rest]).await? {
            let at = SearchCursor {
                tier: 0,
                published: row.get(0),
                id: row.get(1),
            };
            found.push((at, row.get(2)));
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
