//! The Broadsheet API server: the JSON API of `broadsheet-model`, backed by a [`store::Store`]
//! (SQLite, or PostgreSQL for several servers on one database), and the built app, served from
//! `dist/`.
//!
//! The layers, each using only those below it:
//! - `api`, `comments::routes`, `web`, `embed`, `syndication`: handlers;
//! - `http`: the error type, its logging middleware, and the extractors;
//! - `follow` (polling feeds into `import`);
//! - `state`, `cache`, `security`, `head`, `pictures`, `import`, `comments::{rate_limit, moderation}`;
//! - `store`: the storage seam and its SQLite and PostgreSQL implementations.
//!
//! This root only assembles the router.

pub mod api;
pub mod cache;
pub mod catalogues;
pub mod comments;
pub mod embed;
pub mod follow;
pub mod head;
pub mod http;
pub mod import;
pub mod listings;
pub mod openapi;
pub mod pictures;
pub mod purge;
pub mod rankings;
pub mod ready;
pub mod security;
pub mod state;
pub mod store;
pub mod syndication;
pub mod views;
pub mod web;

use std::sync::OnceLock;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::http::StatusCode;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use crate::state::AppState;

/// The demo content imported into a new database (unless turned off).
pub const DEMO_ARTICLES: &str = include_str!("../demo/articles.json");

/// The documented routes: the API, its document and oEmbed, each from its `#[utoipa::path]`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::base())
        .nest("/api", api::router().routes(routes!(openapi::document)))
        .routes(routes!(embed::oembed))
}

/// The OpenAPI document of [`routes`], as `GET /api/openapi.json` serves it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    openapi::finish(routes().into_openapi())
}

/// [`openapi`] as JSON, made once.
fn openapi_json() -> openapi::Document {
    static JSON: OnceLock<Bytes> = OnceLock::new();
    let json = JSON.get_or_init(|| {
        // The document is plain data of strings and maps: it always serializes.
        Bytes::from(serde_json::to_vec(&openapi()).expect("the OpenAPI document serializes"))
    });
    openapi::Document(json.clone())
}

/// The whole HTTP application.
/// Runs a request with the site's catalogue as `broadsheet::i18n`'s.
async fn in_site_language(
    axum::extract::State(messages): axum::extract::State<
        std::sync::Arc<broadsheet::i18n::Messages>,
    >,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    broadsheet::i18n::scoped(messages, next.run(req)).await
}

pub fn app(state: AppState) -> Router {
    let headers = security::Settings::new(state.policies.clone(), state.site.public_url());
    Router::from(routes())
        .layer(axum::Extension(openapi_json()))
        .merge(syndication::router())
        .fallback(web::serve)
        .layer(axum::middleware::from_fn_with_state(
            headers,
            security::headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            http::caching::Caching::new(state.lifetimes),
            http::caching::cache_headers,
        ))
        // Every request in the site's language: what the server writes itself (heads, first
        // screens, module titles, the manifest) reads the catalogue `broadsheet::i18n` holds.
        .layer(axum::middleware::from_fn_with_state(
            state.messages.clone(),
            in_site_language,
        ))
        .with_state(state)
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(15),
        ))
        .layer(CatchPanicLayer::new())
        // The one place request errors are logged (so the trace layer does not log failures).
        .layer(axum::middleware::from_fn(http::error::log_errors))
        .layer(TraceLayer::new_for_http().on_failure(()))
}
