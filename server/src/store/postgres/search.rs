//! Full-text search on Postgres: the `search_head` and `search_all` tsvectors of `articles`
//! (migration 004, GIN-indexed), written by the import with each article (`write`) and filled
//! in by the server for older articles (`backfill`). The terms are `crate::store::search`'s, as in
//! SQLite's FTS5 table, so both stores give the same answers.

use broadsheet_model::{Article, Page};
use deadpool_postgres::GenericClient;

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

/// The articles holding every term, those whose headline holds them all first, then newest
/// first; `limit` after `cursor` (the rule of SQLite's `search::search`).
pub(super) async fn search(
    c: &impl GenericClient,
    terms: &[String],
    limit: u32,
    cursor: Option<SearchCursor>,
) -> Result<Page<(Article, SearchCursor)>, StoreError> {
    let after = cursor.unwrap_or_else(SearchCursor::start);
    let stmt = c
        .prepare_cached(
            "SELECT m.tier, m.published_at, m.id, a.doc FROM (
                 SELECT tier, published_at, id FROM (
                     SELECT id, published_at,
                            COALESCE(search_head @@ $1::TEXT::TSQUERY, FALSE)::INT::INT8 AS tier
                     FROM articles WHERE search_all @@ $1::TEXT::TSQUERY) f
                 WHERE (tier, published_at, id) < ($2, $3, $4)
                 ORDER BY tier DESC, published_at DESC, id DESC LIMIT $5) m
             JOIN articles a ON a.id = m.id
             ORDER BY m.tier DESC, m.published_at DESC, m.id DESC",
        )
        .await?;
    let more = i64::from(limit) + 1;
    let rows = c
        .query(
            &stmt,
            &[
                &search::tsquery(terms),
                &after.tier,
                &after.published,
                &after.id,
                &more,
            ],
        )
        .await?;
    let mut items = Vec::new();
    let mut more = false;
    for row in rows {
        if items.len() == limit as usize {
            more = true;
            break;
        }
        let at = SearchCursor {
            tier: row.get(0),
            published: row.get(1),
            id: row.get(2),
        };
        let article: Article = serde_json::from_str(row.get::<_, &str>(3))?;
        items.push((article, at));
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
