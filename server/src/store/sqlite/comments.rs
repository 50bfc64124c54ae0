//! Comments in SQLite: the article's list, posting under an idempotency key, reports, and the
//! moderators' queries.

use broadsheet_model::{Comment, CommentPage};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::store::{
    KeyedComment, Moderated, NewPost, Posted, Report, StoreError, replay, timestamp,
};

fn article_id(conn: &Connection, slug: &str) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .query_row("SELECT id FROM articles WHERE slug = ?1", [slug], |r| {
            r.get(0)
        })
        .optional()?)
}

pub(super) fn page(
    conn: &Connection,
    slug: &str,
    limit: u32,
    before: i64,
) -> Result<Option<CommentPage>, StoreError> {
    // The article and its visible comments' count, kept by the schema's triggers.
    let Some((article, total)) = conn
        .prepare_cached("SELECT id, comment_count FROM articles WHERE slug = ?1")?
        .query_row([slug], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
        .optional()?
    else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(
        // The article's own index, always: by the table's statistics SQLite may otherwise walk
        // every newer comment of every article down from the cursor (seen: 130 ms at 100,000).
        "SELECT id, nickname, body, created_at FROM comments INDEXED BY comments_by_article
         WHERE article_id = ?1 AND status = 'visible' AND id < ?2
         ORDER BY id DESC LIMIT ?3",
    )?;
    let mut items = stmt
        .query_map(params![article, before, limit + 1], |r| {
            Ok(Comment {
                id: r.get(0)?,
                nickname: r.get(1)?,
                body: r.get(2)?,
                created_at: timestamp(r.get(3)?),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let next_cursor = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|c| c.id.to_string())
    } else {
        None
    };
    Ok(Some(CommentPage {
        items,
        next_cursor,
        total: u64::try_from(total).unwrap_or(0),
    }))
}

/// What the stored comment with this key is, if there is one.
fn by_key(conn: &Connection, key: &str) -> Result<Option<KeyedComment>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT article_id, id, nickname, body, created_at FROM comments WHERE idempotency_key = ?1",
            [key],
            |r| {
                Ok(KeyedComment {
                    article_id: r.get(0)?,
                    comment: Comment {
                        id: r.get(1)?,
                        nickname: r.get(2)?,
                        body: r.get(3)?,
                        created_at: timestamp(r.get(4)?),
                    },
                })
            },
        )
        .optional()?)
}

/// What an earlier post with this key answers, without writing.
pub(super) fn earlier(conn: &Connection, post: &NewPost) -> Result<Option<Posted>, StoreError> {
    let Some(article) = article_id(conn, &post.slug)? else {
        return Ok(Some(Posted::NoArticle));
    };
    Ok(by_key(conn, &post.key)?.map(|stored| replay(stored, article, post)))
}

/// Stores a comment unless its key is already stored, in one immediate transaction, so that
/// concurrent requests with one key store exactly one row.
pub(super) fn post(conn: &mut Connection, post: &NewPost) -> Result<Posted, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(article) = article_id(&tx, &post.slug)? else {
        return Ok(Posted::NoArticle);
    };
    if let Some(stored) = by_key(&tx, &post.key)? {
        return Ok(replay(stored, article, post));
    }
    tx.execute(
        "INSERT INTO comments (article_id, nickname, body, created_at, idempotency_key, client)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            article,
            post.nickname,
            post.body,
            post.created_at,
            post.key,
            post.client
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.commit()?;
    Ok(Posted::New(Comment {
        id,
        nickname: post.nickname.clone(),
        body: post.body.clone(),
        created_at: timestamp(post.created_at),
    }))
}

pub(super) fn report(conn: &mut Connection, report: &Report) -> Result<bool, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let exists = tx
        .query_row(
            "SELECT 1 FROM comments c JOIN articles a ON a.id = c.article_id
             WHERE c.id = ?1 AND a.slug = ?2 AND c.status = 'visible'",
            params![report.comment, report.slug],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if !exists {
        return Ok(false);
    }
    tx.execute(
        "INSERT OR IGNORE INTO comment_reports (comment_id, reporter, reported_at) VALUES (?1, ?2, ?3)",
        params![report.comment, report.reporter, report.at],
    )?;
    tx.execute(
        "UPDATE comments SET status = 'hidden'
         WHERE id = ?1 AND approved = 0 AND status = 'visible'
           AND (SELECT COUNT(*) FROM comment_reports WHERE comment_id = ?1) >= ?2",
        params![report.comment, report.threshold],
    )?;
    tx.commit()?;
    Ok(true)
}

pub(super) fn moderation_list(
    conn: &Connection,
    status: Option<&str>,
) -> Result<Vec<Moderated>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT c.id, a.slug, c.nickname, c.body, c.created_at, c.status,
                (SELECT COUNT(*) FROM comment_reports r WHERE r.comment_id = c.id)
         FROM comments c JOIN articles a ON a.id = c.article_id
         WHERE ?1 IS NULL OR c.status = ?1 ORDER BY c.id DESC",
    )?;
    let rows = stmt.query_map([status], |r| {
        Ok(Moderated {
            id: r.get(0)?,
            article: r.get(1)?,
            nickname: r.get(2)?,
            body: r.get(3)?,
            created_at: timestamp(r.get(4)?),
            status: r.get(5)?,
            reports: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn approve(conn: &Connection, id: i64) -> Result<bool, StoreError> {
    Ok(conn.execute(
        "UPDATE comments SET status = 'visible', approved = 1 WHERE id = ?1 AND status != 'removed'",
        [id],
    )? == 1)
}

pub(super) fn article_of(conn: &Connection, id: i64) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT a.slug FROM comments c JOIN articles a ON a.id = c.article_id WHERE c.id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?)
}

pub(super) fn remove(conn: &Connection, id: i64) -> Result<bool, StoreError> {
    Ok(conn.execute("UPDATE comments SET status = 'removed' WHERE id = ?1", [id])? == 1)
}
