//! `GET /api/tags/{tag}` and `GET /api/authors/{slug}`: a tag's or an author's stories, newest
//! first, a page at a time (the tag and author pages' data; their HTML is `crate::web`'s).

use axum::extract::{FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use broadsheet_model::{ApiError, Listing};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::error::AppError;
use crate::http::extract::{PageLimit, Query};
use crate::ready::Kept;
use crate::state::AppState;
use crate::store::{Cursor, ListOf, StoreError};

/// The two routes, each from its handler's `#[utoipa::path]`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(tag_stories))
        .routes(routes!(author_stories))
}

/// A path's one parameter, decoded (`%2F` is a `/` in a tag, not a new segment), rejected as
/// the API's error.
struct Named(String);

impl<S: Send + Sync> FromRequestParts<S> for Named {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(name) = Path::<String>::from_request_parts(parts, state).await?;
        Ok(Named(name))
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct CursorParam {
    /// Where the list goes on: a `next_cursor` this server gave out (empty: from the start).
    #[param(pattern = r"^(-?[0-9]{1,18}\.-?[0-9]{1,18})?$")]
    cursor: Option<String>,
}

/// A `?cursor=` as the store takes it; one this server did not give out is a 400.
pub fn parse_cursor(cursor: Option<&str>) -> Result<Option<Cursor>, AppError> {
    match cursor {
        None | Some("") => Ok(None),
        Some(s) => Cursor::parse(s)
            .map(Some)
            .ok_or_else(|| AppError::BadRequest("cursor is not one this server gave out".into())),
    }
}

/// A page of `of`'s stories, kept for a moment (`crate::ready`): at 100,000 articles a
/// busy tag read afresh each time answered about 2,000 requests a second on two cores (13
/// documents decoded per request), against about 12,000 for its kept page.
async fn listing(
    state: &AppState,
    of: ListOf,
    cursor: Option<&str>,
    limit: u32,
    missing: &str,
) -> Result<Response, AppError> {
    let after = parse_cursor(cursor)?;
    let key = match &of {
        ListOf::Tag(tag) => format!("/api/tags/{tag}"),
        ListOf::Author(slug) => format!("/api/authors/{slug}"),
    };
    let key = format!("{key}?limit={limit}&cursor={}", cursor.unwrap_or_default());
    let kept = state
        .ready
        .page(key, async {
            // A 404 is an answer like any other here (never kept), in the API's error shape.
            let (status, body) = match state.store.listing(&of, limit, after).await? {
                Some(listing) => (StatusCode::OK, serde_json::to_vec(&listing)),
                None => (
                    StatusCode::NOT_FOUND,
                    serde_json::to_vec(&ApiError::new("not_found", missing)),
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

/// A tag's stories, newest first.
#[utoipa::path(get, path = "/tags/{tag}", tag = "articles",
    summary = "A tag's stories, newest first, a page at a time",
    params(
        ("tag" = String, Path, description = "The tag exactly as articles carry it (case and \
            spaces too; trimmed, with runs of white space one space, at import), percent-encoded.",
            example = "climate"),
        CursorParam, PageLimit),
    responses(
        (status = 200, description = "A page of the tag's stories, newest first; `name` is the tag.", body = Listing),
        (status = 400, description = "The limit or the cursor is not one this server takes.", body = ApiError),
        (status = 404, description = "No article has this tag.", body = ApiError),
    ))]
async fn tag_stories(
    State(state): State<AppState>,
    Named(tag): Named,
    Query(params): Query<CursorParam>,
    PageLimit(limit): PageLimit,
) -> Result<Response, AppError> {
    let missing = "No article has this tag.";
    listing(
        &state,
        ListOf::Tag(tag),
        params.cursor.as_deref(),
        limit,
        missing,
    )
    .await
}

/// An author's stories, newest first.
#[utoipa::path(get, path = "/authors/{slug}", tag = "articles",
    summary = "An author's stories, newest first, a page at a time",
    params(
        ("slug" = String, Path, description = "The author's slug: the byline's name lowercased, \
            letters and digits of any script kept, every other run one `-` \
            (`broadsheet_model::author_slug`), percent-encoded.", example = "mina-okafor"),
        CursorParam, PageLimit),
    responses(
        (status = 200, description = "A page of the author's stories, newest first; `name` is \
            the name as their newest byline gives it.", body = Listing),
        (status = 400, description = "The limit or the cursor is not one this server takes.", body = ApiError),
        (status = 404, description = "No article is by this author.", body = ApiError),
    ))]
async fn author_stories(
    State(state): State<AppState>,
    Named(slug): Named,
    Query(params): Query<CursorParam>,
    PageLimit(limit): PageLimit,
) -> Result<Response, AppError> {
    let missing = "No article is by this author.";
    listing(
        &state,
        ListOf::Author(slug),
        params.cursor.as_deref(),
        limit,
        missing,
    )
    .await
}
