//! What feeds and sitemaps read in Postgres (as `store::sqlite::syndication`).

use broadsheet_model::Article;
use deadpool_postgres::GenericClient;

use crate::store::{FeedOf, NewsEntry, SitemapEntry, SitemapPart, StoreError};

/// A feed's articles, newest first; `None` when the section or tag has none.
pub(super) async fn feed(
    c: &impl GenericClient,
    listing: &FeedOf,
    limit: u32,
) -> Result<Option<Vec<Article>>, StoreError> {
    let limit = i64::from(limit);
    let rows = match listing {
        FeedOf::All => {
            let stmt = c
                .prepare_cached(
                    "SELECT doc, views, comment_count FROM articles
                     ORDER BY published_at DESC, id DESC LIMIT $1",
                )
                .await?;
            c.query(&stmt, &[&limit]).await?
        }
        FeedOf::Section(slug) => {
            let stmt = c
                .prepare_cached(
                    "SELECT doc, views, comment_count FROM articles
                     WHERE section_id = (SELECT id FROM sections WHERE slug = $2)
                     ORDER BY published_at DESC, id DESC LIMIT $1",
                )
                .await?;
            c.query(&stmt, &[&limit, slug]).await?
        }
        FeedOf::Tag(tag) => {
            let stmt = c
                .prepare_cached(
                    "SELECT a.doc, a.views, a.comment_count FROM article_tags t
                     JOIN articles a ON a.id = t.article_id
                     WHERE t.tag = $2
                     ORDER BY t.published_at DESC, t.article_id DESC LIMIT $1",
                )
                .await?;
            c.query(&stmt, &[&limit, tag]).await?
        }
    };
    let mut articles = Vec::with_capacity(rows.len());
    for row in rows {
        let mut article: Article = serde_json::from_str(row.get::<_, &str>(0))?;
        article.views = u64::try_from(row.get::<_, i64>(1)).unwrap_or(0);
        article.comment_count = u64::try_from(row.get::<_, i64>(2)).unwrap_or(0);
        articles.push(article);
    }
    Ok((!articles.is_empty() || *listing == FeedOf::All).then_some(articles))
}

/// The article sitemaps that hold articles, each with its latest change.
pub(super) async fn sitemap_parts(
    c: &impl GenericClient,
    per_part: u32,
) -> Result<Vec<SitemapPart>, StoreError> {
    let per = i64::from(per_part.max(1));
    let last: Option<i64> = c
        .query_one("SELECT MAX(id) FROM articles", &[])
        .await?
        .get(0);
    let Some(last) = last else {
        return Ok(Vec::new());
    };
    // One pass over `articles_sitemap` (id, modified_at, slug), grouped by part.
    let stmt = c
        .prepare_cached(
            "SELECT (id - 1) / $1 + 1 AS part, MAX(modified_at) FROM articles
             WHERE id <= $2 GROUP BY part ORDER BY part",
        )
        .await?;
    let rows = c.query(&stmt, &[&per, &last]).await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some(SitemapPart {
                number: u32::try_from(r.get::<_, i64>(0)).ok()?,
                modified_at: r.get(1),
            })
        })
        .collect())
}

/// The articles of one sitemap part, by id.
pub(super) async fn sitemap_part(
    c: &impl GenericClient,
    part: u32,
    per_part: u32,
) -> Result<Vec<SitemapEntry>, StoreError> {
    let per = i64::from(per_part.max(1));
    let first = (i64::from(part) - 1) * per;
    let stmt = c
        .prepare_cached(
            "SELECT slug, modified_at FROM articles WHERE id > $1 AND id <= $2 ORDER BY id",
        )
        .await?;
    let rows = c.query(&stmt, &[&first, &(first + per)]).await?;
    Ok(rows
        .iter()
        .map(|r| SitemapEntry {
            slug: r.get(0),
            modified_at: r.get(1),
        })
        .collect())
}

/// Articles published at or after `since`, newest first (`articles_newest`).
pub(super) async fn published_since(
    c: &impl GenericClient,
    since: i64,
    limit: u32,
) -> Result<Vec<NewsEntry>, StoreError> {
    let stmt = c
        .prepare_cached(
            "SELECT slug, headline, published_at FROM articles WHERE published_at >= $1
             ORDER BY published_at DESC, id DESC LIMIT $2",
        )
        .await?;
    let rows = c.query(&stmt, &[&since, &i64::from(limit)]).await?;
    Ok(rows
        .iter()
        .map(|r| NewsEntry {
            slug: r.get(0),
            headline: r.get(1),
            published_at: r.get(2),
        })
        .collect())
}
