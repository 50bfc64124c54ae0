//! Articles and sections: the article query, the newest-first lists, views and counts.

use broadsheet_model::{Article, ArticleSummary, Page, Section};
use rusqlite::{Connection, OptionalExtension, params};

use crate::store::{Cursor, HourlyViews, StoreError};

/// One article by slug, with its live counters (the comment count counts visible comments).
pub(super) fn article(conn: &Connection, slug: &str) -> Result<Option<Article>, StoreError> {
    // The busiest query: its statement is prepared once per connection, not per request.
    let row = conn
        .prepare_cached("SELECT doc, views, comment_count FROM articles WHERE slug = ?1")?
        .query_row([slug], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })
        .optional()?;
    let Some((doc, views, comments)) = row else {
        return Ok(None);
    };
    let mut article: Article = serde_json::from_str(&doc)?;
    article.views = u64::try_from(views).unwrap_or(0);
    article.comment_count = u64::try_from(comments).unwrap_or(0);
    Ok(Some(article))
}

/// Newest articles first (only those of `section`, if given), `limit` at a time, starting
/// after `cursor`.
pub(super) fn latest(
    conn: &Connection,
    section: Option<&str>,
    limit: u32,
    cursor: Option<Cursor>,
) -> Result<Page<ArticleSummary>, StoreError> {
    let after = cursor.unwrap_or(Cursor {
        published: i64::MAX,
        id: i64::MAX,
    });
    // Two statements, each walking its own index from the cursor on: the newest of all, or of
    // one section (`articles_newest`, `articles_section_newest`).
    let mut stmt = match section {
        None => conn.prepare_cached(
            "SELECT id, published_at, doc FROM articles
             WHERE (published_at, id) < (?1, ?2) AND ?4 IS NULL
             ORDER BY published_at DESC, id DESC LIMIT ?3",
        )?,
        Some(_) => conn.prepare_cached(
            "SELECT id, published_at, doc FROM articles
             WHERE section_id = (SELECT id FROM sections WHERE slug = ?4)
               AND (published_at, id) < (?1, ?2)
             ORDER BY published_at DESC, id DESC LIMIT ?3",
        )?,
    };
    // One more than asked tells whether there is a next page.
    let rows = stmt.query_map(
        params![after.published, after.id, limit + 1, section],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        },
    )?;
    let mut items = Vec::new();
    let mut last = None;
    let mut more = false;
    for row in rows {
        let (id, published, doc) = row?;
        if items.len() == limit as usize {
            more = true;
            break;
        }
        let article: Article = serde_json::from_str(&doc)?;
        items.push(ArticleSummary::from(&article));
        last = Some(Cursor { published, id });
    }
    Ok(Page {
        items,
        next_cursor: if more { last.map(Cursor::encode) } else { None },
    })
}

/// Adds counted views, per article and hour, in one transaction: to the hour's counter and to
/// the article's total. Views of an article that is gone are dropped.
pub(super) fn record_views(conn: &mut Connection, views: &[HourlyViews]) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    {
        let mut hour = tx.prepare_cached(
            "INSERT INTO article_view_hours (article_id, hour, views)
             SELECT id, ?2, ?3 FROM articles WHERE slug = ?1
             ON CONFLICT (article_id, hour) DO UPDATE SET views = views + excluded.views",
        )?;
        let mut total =
            tx.prepare_cached("UPDATE articles SET views = views + ?2 WHERE slug = ?1")?;
        for v in views {
            hour.execute(params![v.slug, v.hour, v.views])?;
            total.execute(params![v.slug, v.views])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// Every section that has articles, in the order they were first imported.
pub(super) fn sections(conn: &Connection) -> Result<Vec<Section>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT slug, name FROM sections s
         WHERE EXISTS (SELECT 1 FROM articles a WHERE a.section_id = s.id) ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Section {
            slug: r.get(0)?,
            name: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Whether a section with this slug has articles.
pub(super) fn section_exists(conn: &Connection, slug: &str) -> Result<bool, StoreError> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM sections s WHERE s.slug = ?1
             AND EXISTS (SELECT 1 FROM articles a WHERE a.section_id = s.id)",
            [slug],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// How many articles there are.
pub(super) fn article_count(conn: &Connection) -> Result<u64, StoreError> {
    let n: i64 = conn.query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}
