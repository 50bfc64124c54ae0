//! Comments in Postgres: the article's list, posting under an idempotency key, the shared
//! per-client allowance, reports, and the moderators' queries (as `store::sqlite::comments`).

use broadsheet_model::{Comment, CommentPage};
use deadpool_postgres::{Client, GenericClient};
use tokio_postgres::Row;

use crate::store::{
    KeyedComment, Moderated, NewPost, Posted, Report, StoreError, replay, timestamp,
};

async fn article_id(c: &impl GenericClient, slug: &str) -> Result<Option<i64>, StoreError> {
    let stmt = c
        .prepare_cached("SELECT id FROM articles WHERE slug = $1")
        .await?;
    Ok(c.query_opt(&stmt, &[&slug]).await?.map(|r| r.get(0)))
}

fn comment(r: &Row, from: usize) -> Comment {
    Comment {
        id: r.get(from),
        nickname: r.get(from + 1),
        body: r.get(from + 2),
        created_at: timestamp(r.get(from + 3)),
    }
}

pub(super) async fn page(
    c: &impl GenericClient,
    slug: &str,
    limit: u32,
    before: i64,
) -> Result<Option<CommentPage>, StoreError> {
    let stmt = c
        .prepare_cached("SELECT id, comment_count FROM articles WHERE slug = $1")
        .await?;
    let Some(found) = c.query_opt(&stmt, &[&slug]).await? else {
        return Ok(None);
    };
    let (article, total): (i64, i64) = (found.get(0), found.get(1));
    let stmt = c
        .prepare_cached(
            "SELECT id, nickname, body, created_at FROM comments
             WHERE article_id = $1 AND status = 'visible' AND id < $2
             ORDER BY id DESC LIMIT $3",
        )
        .await?;
    let mut items: Vec<Comment> = c
        .query(&stmt, &[&article, &before, &(i64::from(limit) + 1)])
        .await?
        .iter()
        .map(|r| comment(r, 0))
        .collect();
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
async fn by_key(c: &impl GenericClient, key: &str) -> Result<Option<KeyedComment>, StoreError> {
    let stmt = c
        .prepare_cached(
            "SELECT article_id, id, nickname, body, created_at FROM comments
             WHERE idempotency_key = $1",
        )
        .await?;
    Ok(c.query_opt(&stmt, &[&key]).await?.map(|r| KeyedComment {
        article_id: r.get(0),
        comment: comment(&r, 1),
    }))
}

/// What an earlier post with this key answers, without writing.
pub(super) async fn earlier(
    c: &impl GenericClient,
    post: &NewPost,
) -> Result<Option<Posted>, StoreError> {
    let Some(article) = article_id(c, &post.slug).await? else {
        return Ok(Some(Posted::NoArticle));
    };
    Ok(by_key(c, &post.key)
        .await?
        .map(|stored| replay(stored, article, post)))
}

/// Stores a comment unless its key is already stored. Two servers posting one key at once
/// both reach the insert; the unique key lets one row in, and the other post (which waits for
/// the first transaction to end) finds it and answers with it.
pub(super) async fn post(c: &mut Client, post: &NewPost) -> Result<Posted, StoreError> {
    let tx = c.transaction().await?;
    let Some(article) = article_id(&tx, &post.slug).await? else {
        return Ok(Posted::NoArticle);
    };
    if let Some(stored) = by_key(&tx, &post.key).await? {
        return Ok(replay(stored, article, post));
    }
    let insert = tx
        .prepare_cached(
            "INSERT INTO comments (article_id, nickname, body, created_at, idempotency_key, client)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
        )
        .await?;
    let inserted = tx
        .query_opt(
            &insert,
            &[
                &article,
                &post.nickname,
                &post.body,
                &post.created_at,
                &post.key,
                &post.client,
            ],
        )
        .await?;
    let Some(row) = inserted else {
        // Another server stored this key since the read above: its comment is the answer.
        return match by_key(&tx, &post.key).await? {
            Some(stored) => Ok(replay(stored, article, post)),
            None => Ok(Posted::Conflict),
        };
    };
    tx.commit().await?;
    Ok(Posted::New(Comment {
        id: row.get(0),
        nickname: post.nickname.clone(),
        body: post.body.clone(),
        created_at: timestamp(post.created_at),
    }))
}

/// Takes one post from `client`'s allowance of `per_minute` (a burst of that many, then one
/// every `60 / per_minute` seconds: the in-memory limiter's rule, GCRA), in one statement, so
/// that every server spends the same allowance. `Err` holds the seconds to wait.
pub(super) async fn take_allowance(
    c: &impl GenericClient,
    client: &str,
    per_minute: u32,
    now_ms: i64,
) -> Result<Result<(), u64>, StoreError> {
    let per_minute = i64::from(per_minute.max(1));
    let every = 60_000 / per_minute;
    let burst = every * (per_minute - 1);
    let take = c
        .prepare_cached(
            "INSERT INTO comment_allowances AS a (client, full_at)
             VALUES ($1, $2::BIGINT + $3::BIGINT)
             ON CONFLICT (client) DO UPDATE SET full_at = GREATEST(a.full_at, $2::BIGINT) + $3::BIGINT
             WHERE GREATEST(a.full_at, $2::BIGINT) - $2::BIGINT <= $4::BIGINT
             RETURNING full_at",
        )
        .await?;
    if c.query_opt(&take, &[&client, &now_ms, &every, &burst])
        .await?
        .is_some()
    {
        return Ok(Ok(()));
    }
    let full_at: i64 = c
        .query_opt(
            "SELECT full_at FROM comment_allowances WHERE client = $1",
            &[&client],
        )
        .await?
        .map_or(now_ms, |r| r.get(0));
    let wait_ms = u64::try_from(full_at.max(now_ms) - now_ms - burst).unwrap_or(0);
    Ok(Err(wait_ms.div_ceil(1_000).max(1)))
}

pub(super) async fn report(c: &mut Client, report: &Report) -> Result<bool, StoreError> {
    let tx = c.transaction().await?;
    // The comment's row lock makes concurrent reports count one after another.
    let exists = tx
        .query_opt(
            "SELECT 1 FROM comments c JOIN articles a ON a.id = c.article_id
             WHERE c.id = $1 AND a.slug = $2 AND c.status = 'visible' FOR UPDATE OF c",
            &[&report.comment, &report.slug],
        )
        .await?
        .is_some();
    if !exists {
        return Ok(false);
    }
    tx.execute(
        "INSERT INTO comment_reports (comment_id, reporter, reported_at) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
        &[&report.comment, &report.reporter, &report.at],
    )
    .await?;
    tx.execute(
        "UPDATE comments SET status = 'hidden'
         WHERE id = $1 AND NOT approved AND status = 'visible'
           AND (SELECT COUNT(*) FROM comment_reports WHERE comment_id = $1) >= $2",
        &[&report.comment, &i64::from(report.threshold)],
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

pub(super) async fn moderation_list(
    c: &impl GenericClient,
    status: Option<&str>,
) -> Result<Vec<Moderated>, StoreError> {
    let rows = c
        .query(
            "SELECT c.id, a.slug, c.nickname, c.body, c.created_at, c.status,
                    (SELECT COUNT(*) FROM comment_reports r WHERE r.comment_id = c.id)
             FROM comments c JOIN articles a ON a.id = c.article_id
             WHERE $1::text IS NULL OR c.status = $1 ORDER BY c.id DESC",
            &[&status],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| Moderated {
            id: r.get(0),
            article: r.get(1),
            nickname: r.get(2),
            body: r.get(3),
            created_at: timestamp(r.get(4)),
            status: r.get(5),
            reports: r.get(6),
        })
        .collect())
}

pub(super) async fn approve(c: &impl GenericClient, id: i64) -> Result<bool, StoreError> {
    Ok(c.execute(
        "UPDATE comments SET status = 'visible', approved = TRUE
         WHERE id = $1 AND status != 'removed'",
        &[&id],
    )
    .await?
        == 1)
}

pub(super) async fn remove(c: &impl GenericClient, id: i64) -> Result<bool, StoreError> {
    Ok(c.execute(
        "UPDATE comments SET status = 'removed' WHERE id = $1",
        &[&id],
    )
    .await?
        == 1)
}

/// The slug of the article a comment belongs to, whatever its status.
pub(super) async fn article_of(
    c: &impl GenericClient,
    id: i64,
) -> Result<Option<String>, StoreError> {
    Ok(c.query_opt(
        "SELECT a.slug FROM comments c JOIN articles a ON a.id = c.article_id WHERE c.id = $1",
        &[&id],
    )
    .await?
    .map(|r| r.get(0)))
}
