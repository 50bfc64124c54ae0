//! The JSON API under `/api`.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use broadsheet_model::{ArticleSummary, Module, Page, Section};
use serde::Deserialize;

use crate::comments;
use crate::http::client::ClientIp;
use crate::http::error::AppError;
use crate::http::extract::{PageLimit, Slug};
use crate::rankings;
use crate::ready::Kept;
use crate::state::AppState;
use crate::store::{Cursor, StoreError};

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
        .merge(comments::routes::router())
        .fallback(|| async { AppError::NotFound("There is no such API endpoint.".into()) })
}

#[derive(Deserialize)]
struct ListParams {
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
    let own = match params.article.as_deref() {
        Some(slug) => Some(
            state
                .ready
                .article_modules(&state.store, slug)
                .await?
                .ok_or_else(AppError::no_article)?
                .to_vec(),
        ),
        None => None,
    };
    let rankings = state.rankings.get(&state.store).await?;
    Ok(Json(rankings::page_modules(own, &rankings)))
}

/// The home page's stories, kept for a moment (`crate::ready`).
async fn front(State(state): State<AppState>) -> Result<impl IntoResponse, AppError> {
    let kept = state
        .ready
        .page("/api/front".to_owned(), async {
            let front = state.store.front(FRONT_PER_SECTION).await?;
            Ok::<_, AppError>(Kept {
                status: StatusCode::OK,
                content_type: "application/json",
                body: serde_json::to_vec(&front).map_err(StoreError::from)?.into(),
            })
        })
        .await?;
    Ok(([(header::CONTENT_TYPE, kept.content_type)], kept.body))
}

async fn list_sections(State(state): State<AppState>) -> Result<Json<Vec<Section>>, AppError> {
    Ok(Json(state.store.sections().await?))
}

async fn list_articles(
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
    PageLimit(limit): PageLimit,
) -> Result<Json<Page<ArticleSummary>>, AppError> {
    let cursor = match params.cursor.as_deref() {
        None | Some("") => None,
        Some(s) => Some(Cursor::parse(s).ok_or_else(|| {
            AppError::BadRequest("cursor is not one this server gave out".into())
        })?),
    };
    let page = state
        .store
        .latest(params.section.as_deref(), limit, cursor)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no such section.".into()))?;
    Ok(Json(page))
}

/// The busiest request: answered from [`crate::cache`], the same bytes as long as they hold.
async fn get_article(
    State(state): State<AppState>,
    Slug(slug): Slug,
) -> Result<impl IntoResponse, AppError> {
    let cached = state
        .articles
        .get(&slug)
        .await?
        .ok_or_else(AppError::no_article)?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        cached.json.clone(),
    ))
}

/// Offers one page view to the counter ([`crate::views`]: robots, prefetches, repeats and
/// bursts do not count, and the answer never says which). The app sends it once per article page
/// it shows; reading an article (GET) never counts.
async fn record_view(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    Slug(slug): Slug,
) -> Result<impl IntoResponse, AppError> {
    if state.articles.get(&slug).await?.is_none() {
        return Err(AppError::no_article());
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let verdict = state.views.offer(&slug, client, &headers, now);
    tracing::debug!(%slug, ?verdict, "view");
    Ok(StatusCode::NO_CONTENT)
}
