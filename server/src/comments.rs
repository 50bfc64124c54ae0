//! Comments: listing, posting (validated, idempotent, rate limited, with a honeypot), reporting,
//! and the moderation queries behind the `comments` CLI.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use broadsheet_model::{
    Comment, CommentPage, NewComment, Timestamp, ValidComment, is_valid_idempotency_key,
    is_valid_slug, validate_comment,
};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter, clock::Clock};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;

/// The largest comment request accepted; a bigger body is refused with 413 before it is parsed.
pub const MAX_REQUEST_BYTES: usize = 4 * 1024;

/// How comments are policed.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    /// New comments one client may post per minute.
    pub posts_per_minute: u32,
    /// Reports from different clients that hide a comment until a moderator looks at it.
    pub reports_to_hide: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            posts_per_minute: 5,
            reports_to_hide: 3,
        }
    }
}

/// Per-client limits, shared by every request.
pub struct Limits {
    pub policy: Policy,
    posts: DefaultKeyedRateLimiter<IpAddr>,
}

impl Limits {
    pub fn new(policy: Policy) -> Arc<Self> {
        let per_minute = NonZeroU32::new(policy.posts_per_minute).unwrap_or(NonZeroU32::MIN);
        Arc::new(Limits {
            policy,
            posts: RateLimiter::keyed(Quota::per_minute(per_minute)),
        })
    }

    /// Takes one post from `client`'s allowance, or says how many seconds until there is one.
    fn take_post(&self, client: IpAddr) -> Result<(), u64> {
        self.posts.check_key(&client).map_err(|not_until| {
            let wait = not_until.wait_time_from(governor::clock::DefaultClock::default().now());
            wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
        })
    }

    /// Forgets clients whose allowance is full again, so the table does not grow forever.
    pub fn forget_idle(&self) {
        self.posts.retain_recent();
    }
}

fn not_found() -> AppError {
    AppError::NotFound("There is no article at this address.".into())
}

fn checked_slug(slug: &str) -> Result<(), AppError> {
    if is_valid_slug(slug) {
        Ok(())
    } else {
        Err(not_found())
    }
}

fn now_millis() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

fn timestamp(millis: i64) -> Timestamp {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .into()
}

#[derive(Deserialize)]
pub struct ListParams {
    limit: Option<String>,
    cursor: Option<String>,
}

/// `GET /api/articles/{slug}/comments`: visible comments, newest first.
pub async fn list(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(params): Query<ListParams>,
) -> Result<Json<CommentPage>, AppError> {
    checked_slug(&slug)?;
    let limit = crate::api::page_limit(params.limit.as_deref())?;
    let before = match params.cursor.as_deref() {
        None | Some("") => i64::MAX,
        Some(s) => s
            .parse()
            .map_err(|_| AppError::BadRequest("cursor is not one this server gave out".into()))?,
    };
    let page = state
        .db
        .run(move |c| page(c, &slug, limit, before))
        .await?
        .ok_or_else(not_found)?;
    Ok(Json(page))
}

fn article_id(conn: &Connection, slug: &str) -> Result<Option<i64>, AppError> {
    Ok(conn
        .query_row("SELECT id FROM articles WHERE slug = ?1", [slug], |r| {
            r.get(0)
        })
        .optional()?)
}

fn page(
    conn: &Connection,
    slug: &str,
    limit: u32,
    before: i64,
) -> Result<Option<CommentPage>, AppError> {
    let Some(article) = article_id(conn, slug)? else {
        return Ok(None);
    };
    let total: i64 = conn.query_row(
        "SELECT COUNT(*) FROM comments WHERE article_id = ?1 AND status = 'visible'",
        [article],
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, nickname, body, created_at FROM comments
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
fn by_key(conn: &Connection, key: &str) -> Result<Option<(i64, Comment)>, AppError> {
    Ok(conn
        .query_row(
            "SELECT article_id, id, nickname, body, created_at FROM comments WHERE idempotency_key = ?1",
            [key],
            |r| {
                Ok((
                    r.get(0)?,
                    Comment {
                        id: r.get(1)?,
                        nickname: r.get(2)?,
                        body: r.get(3)?,
                        created_at: timestamp(r.get(4)?),
                    },
                ))
            },
        )
        .optional()?)
}

/// The first result for a key, if `valid` is what was stored under it for this article; an
/// error if the key was used for something else.
fn replay(stored: (i64, Comment), article: i64, valid: &ValidComment) -> Result<Comment, AppError> {
    let (stored_article, comment) = stored;
    if stored_article == article && comment.nickname == valid.nickname && comment.body == valid.body
    {
        Ok(comment)
    } else {
        Err(AppError::Invalid {
            message: "This idempotency key was already used for a different comment.".into(),
            fields: vec![(
                "idempotency_key",
                "already used for a different comment".to_owned(),
            )],
        })
    }
}

enum Stored {
    New(Comment),
    Again(Comment),
}

/// Stores a comment unless its key is already stored, in one immediate transaction, so that
/// concurrent requests with one key store exactly one row.
fn store(
    conn: &mut Connection,
    article: i64,
    valid: &ValidComment,
    key: &str,
    client: &str,
) -> Result<Stored, AppError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if let Some(stored) = by_key(&tx, key)? {
        return replay(stored, article, valid).map(Stored::Again);
    }
    let created = now_millis();
    tx.execute(
        "INSERT INTO comments (article_id, nickname, body, created_at, idempotency_key, client)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![article, valid.nickname, valid.body, created, key, client],
    )?;
    let id = tx.last_insert_rowid();
    tx.commit()?;
    Ok(Stored::New(Comment {
        id,
        nickname: valid.nickname.clone(),
        body: valid.body.clone(),
        created_at: timestamp(created),
    }))
}

fn field<'a>(value: &'a serde_json::Value, name: &str) -> &'a str {
    value
        .get(name)
        .and_then(serde_json::Value::as_str)
        .unwrap_or("")
}

/// `POST /api/articles/{slug}/comments`. Answers 201 only once the comment is committed.
pub async fn post(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(slug): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<impl IntoResponse, AppError> {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge
        } else {
            AppError::BadRequest(e.body_text())
        }
    })?;
    checked_slug(&slug)?;
    let value: serde_json::Value = serde_json::from_slice(&body)
        .ok()
        .filter(serde_json::Value::is_object)
        .ok_or_else(|| AppError::BadRequest("The request must be a JSON object.".into()))?;
    let key = field(&value, "idempotency_key").to_owned();
    if !is_valid_idempotency_key(&key) {
        return Err(AppError::BadRequest(
            "idempotency_key must be 16-64 characters of A-Z, a-z, 0-9, - and _".into(),
        ));
    }
    let request = NewComment {
        nickname: field(&value, "nickname").to_owned(),
        body: field(&value, "body").to_owned(),
        idempotency_key: key,
        website: value
            .get("website")
            .and_then(|w| w.as_str())
            .map(str::to_owned),
    };
    let valid =
        validate_comment(&request.nickname, &request.body).map_err(|errors| AppError::Invalid {
            message: "Please check the highlighted fields.".into(),
            fields: errors.into_iter().map(|e| (e.field, e.message)).collect(),
        })?;
    if request
        .website
        .as_deref()
        .is_some_and(|w| !w.trim().is_empty())
    {
        // A bot filled in the field people never see: tell it all went well, keep nothing.
        tracing::info!(client = %peer.ip(), "honeypot filled; comment dropped");
        let decoy = Comment {
            id: 0,
            nickname: valid.nickname,
            body: valid.body,
            created_at: timestamp(now_millis()),
        };
        return Ok((StatusCode::CREATED, Json(decoy)));
    }

    let key = request.idempotency_key;
    let (article, earlier) = {
        let (slug, key) = (slug.clone(), key.clone());
        state
            .db
            .run(move |c| Ok((article_id(c, &slug)?, by_key(c, &key)?)))
            .await?
    };
    let article = article.ok_or_else(not_found)?;
    // A retry of a stored comment gets the first answer again, and costs no allowance.
    if let Some(stored) = earlier {
        return replay(stored, article, &valid).map(|c| (StatusCode::CREATED, Json(c)));
    }
    state
        .limits
        .take_post(peer.ip())
        .map_err(AppError::TooManyRequests)?;
    let client = peer.ip().to_string();
    let stored = state
        .db
        .run(move |c| store(c, article, &valid, &key, &client))
        .await?;
    state.articles.changed(&slug);
    let (Stored::New(comment) | Stored::Again(comment)) = stored;
    Ok((StatusCode::CREATED, Json(comment)))
}

/// `POST /api/articles/{slug}/comments/{id}/report`: one report per client; enough reports hide
/// the comment until a moderator approves or removes it.
pub async fn report(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<StatusCode, AppError> {
    checked_slug(&slug)?;
    let reporter = peer.ip().to_string();
    let threshold = state.limits.policy.reports_to_hide;
    let found = {
        let slug = slug.clone();
        state
            .db
            .run(move |c| report_comment(c, &slug, id, &reporter, threshold))
            .await?
    };
    // Enough reports hide the comment, which changes the article's comment count.
    state.articles.changed(&slug);
    if found {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound("There is no such comment.".into()))
    }
}

fn report_comment(
    conn: &mut Connection,
    slug: &str,
    id: i64,
    reporter: &str,
    threshold: u32,
) -> Result<bool, AppError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let exists = tx
        .query_row(
            "SELECT 1 FROM comments c JOIN articles a ON a.id = c.article_id
             WHERE c.id = ?1 AND a.slug = ?2 AND c.status = 'visible'",
            params![id, slug],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if !exists {
        return Ok(false);
    }
    tx.execute(
        "INSERT OR IGNORE INTO comment_reports (comment_id, reporter, reported_at) VALUES (?1, ?2, ?3)",
        params![id, reporter, now_millis()],
    )?;
    tx.execute(
        "UPDATE comments SET status = 'hidden'
         WHERE id = ?1 AND approved = 0 AND status = 'visible'
           AND (SELECT COUNT(*) FROM comment_reports WHERE comment_id = ?1) >= ?2",
        params![id, threshold],
    )?;
    tx.commit()?;
    Ok(true)
}

/// A comment as moderators see it.
#[derive(Debug)]
pub struct Moderated {
    pub id: i64,
    pub article: String,
    pub nickname: String,
    pub body: String,
    pub created_at: Timestamp,
    pub status: String,
    pub reports: i64,
}

/// Comments with this status (`visible`, `hidden`, `removed`), or all of them; newest first.
pub fn moderation_list(
    conn: &Connection,
    status: Option<&str>,
) -> Result<Vec<Moderated>, AppError> {
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

/// Makes a comment visible for good: reports no longer hide it. False if there is no such comment.
pub fn approve(conn: &Connection, id: i64) -> Result<bool, AppError> {
    Ok(conn.execute(
        "UPDATE comments SET status = 'visible', approved = 1 WHERE id = ?1 AND status != 'removed'",
        [id],
    )? == 1)
}

/// Removes a comment from every list and count. False if there is no such comment.
pub fn remove(conn: &Connection, id: i64) -> Result<bool, AppError> {
    Ok(conn.execute("UPDATE comments SET status = 'removed' WHERE id = ?1", [id])? == 1)
}
