//! The JSON API under `/api`.

use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use broadsheet_model::{ArticleSummary, Front, Module, Page, Section, is_valid_slug};
use serde::Deserialize;

use crate::db::{self, Cursor};
use crate::error::AppError;
use crate::{AppState, comments, modules};

pub const DEFAULT_PAGE: u32 = 20;
pub const MAX_PAGE: u32 = 50;
/// Stories per section on the home page.
pub const FRONT_PER_SECTION: u32 = 4;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sections", get(list_sections))
        .route("/front", get(front))
        .route("/modules", get(list_modules))
        .route("/articles", get(list_articles))
        .route("/articles/{slug}", get(get_article))
        .route("/articles/{slug}/views", post(record_view))
        .route(
            "/articles/{slug}/comments",
            get(comments::list)
                .post(comments::post)
                .layer(DefaultBodyLimit::max(comments::MAX_REQUEST_BYTES)),
        )
        .route(
            "/articles/{slug}/comments/{id}/report",
            post(comments::report),
        )
        .fallback(|| async { AppError::NotFound("There is no such API endpoint.".into()) })
}

#[derive(Deserialize)]
struct ListParams {
    limit: Option<String>,
    cursor: Option<String>,
    section: Option<String>,
}

#[derive(Deserialize)]
struct ModuleParams {
    article: Option<String>,
}

/// The modules of an article page (`?article=slug`) or of a front (no parameter).
async fn list_modules(
    State(state): State<AppState>,
    Query(params): Query<ModuleParams>,
) -> Result<Json<Vec<Module>>, AppError> {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let modules = state
        .db
        .run(move |c| modules::for_page(c, params.article.as_deref(), now))
        .await?
        .ok_or_else(|| AppError::NotFound("There is no article at this address.".into()))?;
    Ok(Json(modules))
}

/// The home page's stories.
async fn front(State(state): State<AppState>) -> Result<Json<Front>, AppError> {
    Ok(Json(
        state
            .db
            .run(|c| modules::front(c, FRONT_PER_SECTION))
            .await?,
    ))
}

async fn list_sections(State(state): State<AppState>) -> Result<Json<Vec<Section>>, AppError> {
    Ok(Json(state.db.run(|c| db::sections(c)).await?))
}

async fn list_articles(
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
) -> Result<Json<Page<ArticleSummary>>, AppError> {
    let limit = page_limit(params.limit.as_deref())?;
    let cursor = match params.cursor.as_deref() {
        None | Some("") => None,
        Some(s) => Some(Cursor::parse(s).ok_or_else(|| {
            AppError::BadRequest("cursor is not one this server gave out".into())
        })?),
    };
    let page = state
        .db
        .run(move |c| {
            if let Some(section) = &params.section
                && !db::section_exists(c, section)?
            {
                return Err(AppError::NotFound("There is no such section.".into()));
            }
            db::latest(c, params.section.as_deref(), limit, cursor)
        })
        .await?;
    Ok(Json(page))
}

/// A list's `?limit=`: 1 to [`MAX_PAGE`], [`DEFAULT_PAGE`] when absent.
pub fn page_limit(value: Option<&str>) -> Result<u32, AppError> {
    match value {
        None => Ok(DEFAULT_PAGE),
        Some(s) => s
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or_else(|| {
                AppError::BadRequest(format!("limit must be a whole number from 1 to {MAX_PAGE}"))
            }),
    }
}

fn checked_slug(slug: String) -> Result<String, AppError> {
    if is_valid_slug(&slug) {
        Ok(slug)
    } else {
        Err(AppError::NotFound(
            "There is no article at this address.".into(),
        ))
    }
}

/// The busiest request: answered from [`crate::cache`], the same bytes as long as they hold.
async fn get_article(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<impl IntoResponse, AppError> {
    let slug = checked_slug(slug)?;
    let cached = state
        .articles
        .get(&slug)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no article at this address.".into()))?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        cached.json.clone(),
    ))
}

/// Counts one page view. The app sends it once per article page it shows; reading an article
/// (GET) never counts, so prefetches, caches and crawlers leave the count alone.
async fn record_view(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<impl IntoResponse, AppError> {
    let slug = checked_slug(slug)?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let found = {
        let slug = slug.clone();
        state
            .db
            .run(move |c| db::record_view(c, &slug, now))
            .await?
    };
    state.articles.changed(&slug);
    if found {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound(
            "There is no article at this address.".into(),
        ))
    }
}
