//! The Broadsheet API server: the JSON API of `broadsheet-model`, backed by SQLite, and the
//! built app, served from `dist/`.

pub mod api;
pub mod comments;
pub mod db;
pub mod error;
pub mod import;
pub mod web;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::comments::{Limits, Policy};
use crate::db::Db;

/// The demo content imported into a new database (unless turned off).
pub const DEMO_ARTICLES: &str = include_str!("../demo/articles.json");

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Where the built app is.
    pub dist: PathBuf,
    /// `dist/index.html`, read once at start; `None` when the app has not been built.
    pub index_html: Arc<Option<String>>,
    /// Per-client limits on comments.
    pub limits: Arc<Limits>,
}

impl AppState {
    pub fn new(db: Db, dist: PathBuf, policy: Policy) -> Self {
        let index_html = std::fs::read_to_string(dist.join("index.html")).ok();
        if index_html.is_none() {
            tracing::warn!(dist = %dist.display(), "no index.html: the app has not been built");
        }
        AppState {
            db,
            dist,
            index_html: Arc::new(index_html),
            limits: Limits::new(policy),
        }
    }
}

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    Router::new()
        .nest("/api", api::router())
        .fallback(web::serve)
        .with_state(state)
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        ))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(15),
        ))
        .layer(CatchPanicLayer::new())
        .layer(TraceLayer::new_for_http())
}
