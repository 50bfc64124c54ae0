//! The comment routes under `/api/articles/{slug}/comments`.

use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use broadsheet_model::{Comment, CommentPage, is_valid_idempotency_key, validate_comment};
use serde::Deserialize;

use crate::http::client::ClientIp;
use crate::http::error::AppError;
use crate::http::extract::{
    BodyRejection, JsonObject, PageLimit, Slug, SlugAndId, text_or_empty, text_or_none,
};
use crate::state::AppState;
use crate::store::{NewPost, Posted, Report, timestamp};

/// The largest comment request accepted; a bigger body is refused with 413 before it is parsed.
pub const MAX_REQUEST_BYTES: usize = 4 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/articles/{slug}/comments",
            get(list)
                .post(post_comment)
                .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES)),
        )
        .route("/articles/{slug}/comments/{id}/report", post(report))
}

fn now_millis() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

#[derive(Deserialize)]
pub struct ListParams {
    cursor: Option<String>,
}

/// `GET /api/articles/{slug}/comments`: visible comments, newest first.
pub async fn list(
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
    Slug(slug): Slug,
    PageLimit(limit): PageLimit,
) -> Result<Json<CommentPage>, AppError> {
    let before =
        match params.cursor.as_deref() {
            None | Some("") => None,
            Some(s) => Some(s.parse().map_err(|_| {
                AppError::BadRequest("cursor is not one this server gave out".into())
            })?),
        };
    let page = state
        .store
        .comments(&slug, limit, before)
        .await?
        .ok_or_else(AppError::no_article)?;
    Ok(Json(page))
}

/// A comment as posted. A field that is missing or not a string counts as empty (the nickname
/// and body then fail validation, the key its check); a `website` that is not a string, as
/// absent.
#[derive(Deserialize)]
pub struct PostBody {
    #[serde(default, deserialize_with = "text_or_empty")]
    nickname: String,
    #[serde(default, deserialize_with = "text_or_empty")]
    body: String,
    #[serde(default, deserialize_with = "text_or_empty")]
    idempotency_key: String,
    /// The honeypot: a field people never see or fill in.
    #[serde(default, deserialize_with = "text_or_none")]
    website: Option<String>,
}

/// The answer to a post, first or repeated.
fn answer(posted: Posted) -> Result<(StatusCode, Json<Comment>), AppError> {
    match posted {
        Posted::New(comment) | Posted::Again(comment) => Ok((StatusCode::CREATED, Json(comment))),
        Posted::Conflict => Err(AppError::Invalid {
            message: "This idempotency key was already used for a different comment.".into(),
            fields: vec![(
                "idempotency_key",
                "already used for a different comment".to_owned(),
            )],
        }),
        Posted::NoArticle => Err(AppError::no_article()),
    }
}

/// `POST /api/articles/{slug}/comments`. Answers 201 only once the comment is committed.
pub async fn post_comment(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    slug: Result<Slug, AppError>,
    body: Result<JsonObject<PostBody>, BodyRejection>,
) -> Result<impl IntoResponse, AppError> {
    // In this order: a body that cannot be read (413, 400), then the address (404), then what
    // the body says.
    let body = match body {
        Err(BodyRejection::Unreadable(e)) => return Err(e),
        body => body,
    };
    let Slug(slug) = slug?;
    let JsonObject(request) = body?;
    if !is_valid_idempotency_key(&request.idempotency_key) {
        return Err(AppError::BadRequest(
            "idempotency_key must be 16-64 characters of A-Z, a-z, 0-9, - and _".into(),
        ));
    }
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
        tracing::info!(client = %client, "honeypot filled; comment dropped");
        let decoy = Comment {
            id: 0,
            nickname: valid.nickname,
            body: valid.body,
            created_at: timestamp(now_millis()),
        };
        return Ok((StatusCode::CREATED, Json(decoy)));
    }

    let post = NewPost {
        slug,
        nickname: valid.nickname,
        body: valid.body,
        key: request.idempotency_key,
        client: client.to_string(),
        created_at: now_millis(),
    };
    // A retry of a stored comment gets the first answer again, and costs no allowance.
    if let Some(earlier) = state.store.earlier_post(&post).await? {
        return answer(earlier);
    }
    state
        .limits
        .take_post(client)
        .map_err(AppError::TooManyRequests)?;
    let slug = post.slug.clone();
    let posted = state.store.post_comment(post).await?;
    if matches!(posted, Posted::New(_)) {
        state.comments_changed(&slug);
    }
    answer(posted)
}

/// `POST /api/articles/{slug}/comments/{id}/report`: one report per client; enough reports hide
/// the comment until a moderator approves or removes it.
pub async fn report(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    SlugAndId(slug, id): SlugAndId,
) -> Result<StatusCode, AppError> {
    let found = state
        .store
        .report_comment(Report {
            slug: slug.clone(),
            comment: id,
            reporter: client.to_string(),
            threshold: state.limits.policy.reports_to_hide,
            at: now_millis(),
        })
        .await?;
    // Enough reports hide the comment, which changes the article's comment count.
    if found {
        state.comments_changed(&slug);
    }
    if found {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound("There is no such comment.".into()))
    }
}
