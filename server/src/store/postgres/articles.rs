//! Articles and sections in Postgres: the article query, the newest-first lists, views and
//! counts (as `store::sqlite::articles`).

use broadsheet_model::{Article, ArticleSummary, Page, Section};
use deadpool_postgres::{Client, GenericClient};

use crate::store::{Cursor, HourlyViews, StoreError};

/// One article by slug, with its live counters.
pub(super) async fn article(
    c: &impl GenericClient,
    slug: &str,
) -> Result<Option<Article>, StoreError> {
    let stmt = c
        .prepare_cached("SELECT doc, views, comment_count FROM articles WHERE slug = $1")
        .await?;
    let Some(row) = c.query_opt(&stmt, &[&slug]).await? else {
        return Ok(None);
    };
    let mut article: Article = serde_json::from_str(row.get::<_, &str>(0))?;
    article.views = u64::try_from(row.get::<_, i64>(1)).unwrap_or(0);
    article.comment_count = u64::try_from(row.get::<_, i64>(2)).unwrap_or(0);
    Ok(Some(article))
}

/// Newest articles first (only those of `section`, if given), `limit` at a time, starting
/// after `cursor`.
pub(super) async fn latest(
    c: &impl GenericClient,
    section: Option<&str>,
    limit: u32,
    cursor: Option<Cursor>,
) -> Result<Page<ArticleSummary>, StoreError> {
    let after = cursor.unwrap_or(Cursor {
        published: i64::MAX,
        id: i64::MAX,
    });
    // One more than asked tells whether there is a next page.
    let more = i64::from(limit) + 1;
    let rows = match section {
        None => {
            let stmt = c
                .prepare_cached(
                    "SELECT id, published_at, doc FROM articles
                     WHERE (published_at, id) < ($1, $2)
                     ORDER BY published_at DESC, id DESC LIMIT $3",
                )
                .await?;
            c.query(&stmt, &[&after.published, &after.id, &more])
                .await?
        }
        Some(section) => {
            let stmt = c
                .prepare_cached(
                    "SELECT id, published_at, doc FROM articles
                     WHERE section_id = (SELECT id FROM sections WHERE slug = $4)
                       AND (published_at, id) < ($1, $2)
                     ORDER BY published_at DESC, id DESC LIMIT $3",
                )
                .await?;
            c.query(&stmt, &[&after.published, &after.id, &more, &section])
                .await?
        }
    };
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
    Ok(Page {
        items,
        next_cursor: if more { last.map(Cursor::encode) } else { None },
    })
}

/// Adds counted views, per article and hour, in one transaction. Views of an article that is
/// gone are dropped.
pub(super) async fn record_views(
    c: &mut Client,
    mut views: Vec<HourlyViews>,
) -> Result<(), StoreError> {
    // Every server writes its batch in the same order, so two batches touching the same rows
    // wait for each other instead of deadlocking.
    views.sort_by(|a, b| (&a.slug, a.hour).cmp(&(&b.slug, b.hour)));
    let tx = c.transaction().await?;
    let hour = tx
        .prepare_cached(
            "INSERT INTO article_view_hours (article_id, hour, views)
             SELECT id, $2, $3 FROM articles WHERE slug = $1
             ON CONFLICT (article_id, hour)
             DO UPDATE SET views = article_view_hours.views + excluded.views",
        )
        .await?;
    let total = tx
        .prepare_cached("UPDATE articles SET views = views + $2 WHERE slug = $1")
        .await?;
    for v in &views {
        let n = i64::from(v.views);
        tx.execute(&hour, &[&v.slug, &v.hour, &n]).await?;
        tx.execute(&total, &[&v.slug, &n]).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Every section that has articles, in the order they were first imported.
pub(super) async fn sections(c: &impl GenericClient) -> Result<Vec<Section>, StoreError> {
    let stmt = c
        .prepare_cached(
            "SELECT slug, name FROM sections s
             WHERE EXISTS (SELECT 1 FROM articles a WHERE a.section_id = s.id) ORDER BY id",
        )
        .await?;
    Ok(c.query(&stmt, &[])
        .await?
        .into_iter()
        .map(|r| Section {
            slug: r.get(0),
            name: r.get(1),
        })
        .collect())
}

/// Whether a section with this slug has articles.
pub(super) async fn section_exists(c: &impl GenericClient, slug: &str) -> Result<bool, StoreError> {
    let stmt = c
        .prepare_cached(
            "SELECT 1 FROM sections s WHERE s.slug = $1
             AND EXISTS (SELECT 1 FROM articles a WHERE a.section_id = s.id)",
        )
        .await?;
    Ok(c.query_opt(&stmt, &[&slug]).await?.is_some())
}

/// How many articles there are.
pub(super) async fn article_count(c: &impl GenericClient) -> Result<u64, StoreError> {
    let n: i64 = c
        .query_one("SELECT COUNT(*) FROM articles", &[])
        .await?
        .get(0);
    Ok(u64::try_from(n).unwrap_or(0))
}
