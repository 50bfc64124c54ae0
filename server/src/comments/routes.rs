//! The comment routes under `/api/articles/{slug}/comments`.

use axum::Json;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use broadsheet_model::{
    ApiError, Comment, CommentPage, NewComment, is_valid_idempotency_key, validate_comment,
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use crate::http::client::ClientIp;
use crate::http::error::{AppError, NO_ARTICLE};
use crate::http::extract::{
    BodyRejection, JsonObject, PageLimit, Query, Slug, SlugAndId, text_or_empty, text_or_none,
};
use crate::ready::Kept;
use crate::state::AppState;
use crate::store::{NewPost, Posted, Report, StoreError, timestamp};
use broadsheet::i18n;

/// The largest comment request accepted; a bigger body is refused with 413 before it is parsed.
pub const MAX_REQUEST_BYTES: usize = 4 * 1024;

/// The comment routes, each from its handler's `#[utoipa::path]`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, post_comment).layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES)))
        .routes(routes!(report))
}

fn now_millis() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Where the list goes on: a `next_cursor` this server gave out (empty: from the start).
    #[param(pattern = "^(-?[0-9]{1,18})?$")]
    cursor: Option<String>,
}

/// `GET /api/articles/{slug}/comments`: visible comments, newest first.
#[utoipa::path(get, path = "/articles/{slug}/comments", tag = "comments",
    operation_id = "list_comments", summary = "An article's comments, newest first",
    params(Slug, ListParams, PageLimit),
    responses(
        (status = 200, description = "A page of the article's visible comments, newest first, \
            with how many there are in all.", body = CommentPage),
        (status = 400, description = "The limit or the cursor is not one this server takes.", body = ApiError),
        (status = 404, description = "There is no article at this address.", body = ApiError),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
    Slug(slug): Slug,
    PageLimit(limit): PageLimit,
) -> Result<impl IntoResponse, AppError> {
    let before =
        match params.cursor.as_deref() {
            None | Some("") => None,
            Some(s) => Some(s.parse().map_err(|_| {
                AppError::BadRequest("cursor is not one this server gave out".into())
            })?),
        };
    // Kept for a moment, as a page is: a hot article's readers ask for the same first page.
    let key = state.ready.comments_key(&slug, limit, before);
    let kept = state
        .ready
        .page(key, async {
            // No article: a 404 in the API's error shape, as a listing's (never kept, and not a
            // failure shared with the requests waiting on this one).
            let (status, body) = match state.store.comments(&slug, limit, before).await? {
                Some(page) => (StatusCode::OK, serde_json::to_vec(&page)),
                None => (
                    StatusCode::NOT_FOUND,
                    serde_json::to_vec(&ApiError::new("not_found", NO_ARTICLE)),
                ),
            };
            Ok::<_, AppError>(Kept {
                status,
                content_type: "application/json",
                body: body.map_err(StoreError::from)?.into(),
            })
        })
        .await?;
    Ok(kept.into_response())
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
#[utoipa::path(post, path = "/articles/{slug}/comments", tag = "comments",
    summary = "Post a comment",
    description = "Answered with 201 only once the comment is committed. Sending the same \
        `idempotency_key` again answers the first result and stores nothing new.", params(Slug),
    request_body(content = NewComment, description = "The comment. Read as JSON whatever the \
        `Content-Type`; at most 4 KiB."),
    responses(
        (status = 201, description = "Stored and committed (or, for a key sent before, the first \
            answer again).", body = Comment),
        (status = 400, description = "Not a JSON object, or a missing or malformed `idempotency_key`.", body = ApiError),
        (status = 404, description = "There is no article at this address.", body = ApiError),
        (status = 413, description = "The request is over 4 KiB.", body = ApiError),
        (status = 422, description = "The nickname or the body breaks the rules, or the key was \
            used for another comment: `error.fields` has a sentence per field.", body = ApiError),
        (status = 429, description = "Too many new comments from this address just now.", body = ApiError,
            headers(("Retry-After" = u64, description = "Seconds to wait before posting again."))),
    ))]
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
            // Each field's problem in the site's language, as the app says it.
            fields: errors
                .into_iter()
                .map(|e| (e.field, i18n::field_problem(e.field, e.problem)))
                .collect(),
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
    // Servers sharing a database share each client's allowance through it; a lone server
    // keeps it in memory.
    let allowance = match state
        .store
        .take_post_allowance(
            &post.client,
            state.limits.policy.posts_per_minute,
            now_millis(),
        )
        .await?
    {
        Some(shared) => shared,
        None => state.limits.take_post(client),
    };
    allowance.map_err(AppError::TooManyRequests)?;
    let slug = post.slug.clone();
    let posted = state.store.post_comment(post).await?;
    if matches!(posted, Posted::New(_)) {
        state.comments_changed(&slug);
    }
    answer(posted)
}

/// `POST /api/articles/{slug}/comments/{id}/report`: one report per client; enough reports hide
/// the comment until a moderator approves or removes it.
#[utoipa::path(post, path = "/articles/{slug}/comments/{id}/report", tag = "comments",
    operation_id = "report_comment", summary = "Report a comment",
    description = "One report per client. A comment reported by enough different clients is \
        hidden until a moderator approves or removes it.",
    params(SlugAndId),
    responses(
        (status = 204, description = "Reported (a client's second report of a comment changes nothing)."),
        (status = 400, description = "The id is not a whole number.", body = ApiError),
        (status = 404, description = "There is no such article or comment.", body = ApiError),
    ))]
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
