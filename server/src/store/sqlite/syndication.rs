//! What feeds and sitemaps read: a listing's newest articles whole, the sitemap parts by id
//! range, and the last two days' articles. Every statement walks an index.

use broadsheet_model::Article;
use rusqlite::{Connection, OptionalExtension, params};

use crate::store::{FeedOf, NewsEntry, SitemapEntry, SitemapPart, StoreError};

/// A feed's articles, newest first; `None` when the section or tag has none.
pub(super) fn feed(
    conn: &Connection,
    listing: &FeedOf,
    limit: u32,
) -> Result<Option<Vec<Article>>, StoreError> {
    let (mut stmt, key) = match listing {
        // `articles_newest`, walked from its start as `latest` walks it from a cursor.
        FeedOf::All => (
            conn.prepare_cached(
                "SELECT doc, views, comment_count FROM articles
                 WHERE (published_at, id) < (?2, ?2)
                 ORDER BY published_at DESC, id DESC LIMIT ?1",
            )?,
            None,
        ),
        // `articles_section_newest`.
        FeedOf::Section(slug) => (
            conn.prepare_cached(
                "SELECT doc, views, comment_count FROM articles
                 WHERE section_id = (SELECT id FROM sections WHERE slug = ?2)
                 ORDER BY published_at DESC, id DESC LIMIT ?1",
            )?,
            Some(slug.as_str()),
        ),
        // `article_tags_newest`: the tag's newest, walked in order, each joined to its row.
        FeedOf::Tag(tag) => (
            conn.prepare_cached(
                "SELECT a.doc, a.views, a.comment_count FROM article_tags t
                 JOIN articles a ON a.id = t.article_id
                 WHERE t.tag = ?2
                 ORDER BY t.published_at DESC, t.article_id DESC LIMIT ?1",
            )?,
            Some(tag.as_str()),
        ),
    };
    let rows = match listing {
        FeedOf::All => stmt.query_map(params![limit, i64::MAX], row)?,
        FeedOf::Section(_) | FeedOf::Tag(_) => stmt.query_map(params![limit, key], row)?,
    };
    let mut articles = Vec::new();
    for r in rows {
        let (doc, views, comments) = r?;
        let mut article: Article = serde_json::from_str(&doc)?;
        article.views = u64::try_from(views).unwrap_or(0);
        article.comment_count = u64::try_from(comments).unwrap_or(0);
        articles.push(article);
    }
    Ok((!articles.is_empty() || *listing == FeedOf::All).then_some(articles))
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, i64, i64)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
}

/// The article sitemaps that hold articles, each with its latest change.
pub(super) fn sitemap_parts(
    conn: &Connection,
    per_part: u32,
) -> Result<Vec<SitemapPart>, StoreError> {
    let per = i64::from(per_part.max(1));
    let last: Option<i64> = conn.query_row("SELECT MAX(id) FROM articles", [], |r| r.get(0))?;
    let Some(last) = last else {
        return Ok(Vec::new());
    };
    // Each part is one range of `articles_sitemap` (id, modified_at, slug).
    let mut stmt = conn.prepare_cached(
        "SELECT MAX(modified_at) FROM articles INDEXED BY articles_sitemap
         WHERE id > ?1 AND id <= ?2",
    )?;
    let mut parts = Vec::new();
    for n in 1..=((last + per - 1) / per) {
        let modified: Option<i64> = stmt
            .query_row(params![(n - 1) * per, n * per], |r| r.get(0))
            .optional()?
            .flatten();
        if let (Some(modified_at), Ok(number)) = (modified, u32::try_from(n)) {
            parts.push(SitemapPart {
                number,
                modified_at,
            });
        }
    }
    Ok(parts)
}

/// The articles of one sitemap part, by id.
pub(super) fn sitemap_part(
    conn: &Connection,
    part: u32,
    per_part: u32,
) -> Result<Vec<SitemapEntry>, StoreError> {
    let per = i64::from(per_part.max(1));
    let first = (i64::from(part) - 1) * per;
    let mut stmt = conn.prepare_cached(
        "SELECT slug, modified_at FROM articles INDEXED BY articles_sitemap
         WHERE id > ?1 AND id <= ?2 ORDER BY id",
    )?;
    let rows = stmt.query_map(params![first, first + per], |r| {
        Ok(SitemapEntry {
            slug: r.get(0)?,
            modified_at: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Articles published at or after `since`, newest first (`articles_newest`).
pub(super) fn published_since(
    conn: &Connection,
    since: i64,
    limit: u32,
) -> Result<Vec<NewsEntry>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT slug, headline, published_at FROM articles WHERE published_at >= ?1
         ORDER BY published_at DESC, id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![since, limit], |r| {
        Ok(NewsEntry {
            slug: r.get(0)?,
            headline: r.get(1)?,
            published_at: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
