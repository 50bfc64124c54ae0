//! A tag's or an author's articles, newest first: each walks one index from the cursor on
//! (`article_tags_newest`, `articles_by_author`).

use broadsheet_model::{Article, ArticleSummary, Listing};
use rusqlite::{Connection, OptionalExtension, params};

use crate::store::{Cursor, ListOf, StoreError};

/// The page of `of`'s articles after `cursor`, or `None` when no article has the tag or author.
pub(super) fn listing(
    conn: &Connection,
    of: &ListOf,
    limit: u32,
    cursor: Option<Cursor>,
) -> Result<Option<Listing>, StoreError> {
    // The page's name, which also tells whether there is anything at all: the tag, or the
    // byline of the author's newest article (the first row of their index).
    let name: Option<String> = match of {
        ListOf::Tag(tag) => conn
            .prepare_cached("SELECT tag FROM article_tags WHERE tag = ?1 LIMIT 1")?
            .query_row([tag], |r| r.get(0))
            .optional()?,
        ListOf::Author(slug) => conn
            .prepare_cached(
                "SELECT json_extract(doc, '$.byline.name') FROM articles WHERE author_slug = ?1
                 ORDER BY published_at DESC, id DESC LIMIT 1",
            )?
            .query_row([slug], |r| r.get(0))
            .optional()?,
    };
    let Some(name) = name else {
        return Ok(None);
    };
    let after = cursor.unwrap_or(Cursor {
        published: i64::MAX,
        id: i64::MAX,
    });
    let (mut stmt, key) = match of {
        ListOf::Tag(tag) => (
            conn.prepare_cached(
                "SELECT a.id, a.published_at, a.doc FROM article_tags t
                 JOIN articles a ON a.id = t.article_id
                 WHERE t.tag = ?4 AND (t.published_at, t.article_id) < (?1, ?2)
                 ORDER BY t.published_at DESC, t.article_id DESC LIMIT ?3",
            )?,
            tag,
        ),
        ListOf::Author(slug) => (
            conn.prepare_cached(
                "SELECT id, published_at, doc FROM articles
                 WHERE author_slug = ?4 AND (published_at, id) < (?1, ?2)
                 ORDER BY published_at DESC, id DESC LIMIT ?3",
            )?,
            slug,
        ),
    };
    // One more than asked tells whether there is a next page.
    let rows = stmt.query_map(params![after.published, after.id, limit + 1, key], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
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
    Ok(Some(Listing {
        name,
        items,
        next_cursor: if more { last.map(Cursor::encode) } else { None },
    }))
}
