//! The Broadsheet API server: the JSON API of `broadsheet-model`, backed by a [`store::Store`]
//! (SQLite today), and the built app, served from `dist/`.
//!
//! The layers, each using only those below it:
//! - `api`, `comments::routes`, `web`, `embed`: handlers;
//! - `http`: the error type, its logging middleware, and the extractors;
//! - `follow` (polling feeds into `import`);
//! - `state`, `cache`, `security`, `head`, `import`, `comments::{rate_limit, moderation}`;
//! - `store`: the storage seam and its SQLite implementation.
//!
//! This root only assembles the router.

pub mod api;
pub mod cache;
pub mod comments;
pub mod embed;
pub mod follow;
pub mod head;
pub mod http;
pub mod import;
pub mod rankings;
pub mod ready;
pub mod security;
pub mod state;
pub mod store;
pub mod views;
pub mod web;

use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use crate::state::AppState;

/// The demo content imported into a new database (unless turned off).
pub const DEMO_ARTICLES: &str = include_str!("../demo/articles.json");

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    let headers = security::Settings::new(state.policies.clone(), state.public_url.as_deref());
    Router::new()
        .nest("/api", api::router())
        .route("/oembed", axum::routing::get(embed::oembed))
        .fallback(web::serve)
        .layer(axum::middleware::from_fn_with_state(
            headers,
            security::headers,
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
