//! A tag's or an author's articles in Postgres, newest first, through one index each (as
//! `store::sqlite::listings`).

use broadsheet_model::{Article, ArticleSummary, Listing};
use deadpool_postgres::GenericClient;

use crate::store::{Cursor, ListOf, StoreError};

/// The page of `of`'s articles after `cursor`, or `None` when no article has the tag or author.
pub(super) async fn listing(
    c: &impl GenericClient,
    of: &ListOf,
    limit: u32,
    cursor: Option<Cursor>,
) -> Result<Option<Listing>, StoreError> {
    let (name_sql, page_sql, key) = match of {
        ListOf::Tag(tag) => (
            "SELECT tag FROM article_tags WHERE tag = $1 LIMIT 1",
            "SELECT a.id, a.published_at, a.doc FROM article_tags t
             JOIN articles a ON a.id = t.article_id
             WHERE t.tag = $4 AND (t.published_at, t.article_id) < ($1, $2)
             ORDER BY t.published_at DESC, t.article_id DESC LIMIT $3",
            tag,
        ),
        ListOf::Author(slug) => (
            // The byline of the author's newest article names the page.
            "SELECT doc::jsonb -> 'byline' ->> 'name' FROM articles WHERE author_slug = $1
             ORDER BY published_at DESC, id DESC LIMIT 1",
            "SELECT id, published_at, doc FROM articles
             WHERE author_slug = $4 AND (published_at, id) < ($1, $2)
             ORDER BY published_at DESC, id DESC LIMIT $3",
            slug,
        ),
    };
    let stmt = c.prepare_cached(name_sql).await?;
    let Some(name) = c.query_opt(&stmt, &[key]).await? else {
        return Ok(None);
    };
    let name: String = name.get(0);
    let after = cursor.unwrap_or(Cursor {
        published: i64::MAX,
        id: i64::MAX,
    });
    // One more than asked tells whether there is a next page.
    let more = i64::from(limit) + 1;
    let stmt = c.prepare_cached(page_sql).await?;
    let rows = c
        .query(&stmt, &[&after.published, &after.id, &more, key])
        .await?;
    let mut items = Vec::new();
    let mut last = None;
    let mut more = false;
    for row in rows {
        if items.len() == limit as usize {
            more = true;
            break;
        }
        let article: Article = serde_json::from_str(row.get::<_, &str>(2))?;
        items.push(ArticleSummary::from(&article));
        last = Some(Cursor {
            published: row.get(1),
            id: row.get(0),
        });
    }
    Ok(Some(Listing {
        name,
        items,
        next_cursor: if more { last.map(Cursor::encode) } else { None },
    }))
}
