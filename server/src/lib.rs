//! The Broadsheet API server: the JSON API of `broadsheet-model`, backed by SQLite, and the
//! built app, served from `dist/`.

pub mod api;
pub mod cache;
pub mod comments;
pub mod db;
pub mod embed;
pub mod error;
pub mod head;
pub mod import;
pub mod modules;
pub mod security;
pub mod web;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::comments::{Limits, Policy};
use crate::db::Db;
use crate::head::Shell;

/// The demo content imported into a new database (unless turned off).
pub const DEMO_ARTICLES: &str = include_str!("../demo/articles.json");

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Recently read articles, ready to send.
    pub articles: cache::Articles,
    /// Where the built app is.
    pub dist: PathBuf,
    /// `dist/index.html`, read once at start and cut around its title; `None` when the app has
    /// not been built.
    pub shell: Arc<Option<Shell>>,
    /// The site's public address (`--public-url`), for canonical links and previews; without it,
    /// the request's `Host`.
    pub public_url: Option<String>,
    /// Per-client limits on comments.
    pub limits: Arc<Limits>,
    /// Origins allowed to frame embed pages; empty means any site may.
    pub embed_partners: Vec<String>,
    /// The Content-Security-Policy of every response, built once: for embed pages and for the
    /// rest (they differ in `frame-ancestors`).
    pub policies: Arc<security::Policies>,
}

impl AppState {
    pub fn new(db: Db, dist: PathBuf, policy: Policy) -> Self {
        let html = std::fs::read_to_string(dist.join("index.html")).ok();
        let shell = html.as_deref().and_then(Shell::parse);
        match (&html, &shell) {
            (None, _) => {
                tracing::warn!(dist = %dist.display(), "no index.html: the app has not been built")
            }
            (Some(_), None) => tracing::warn!("index.html has no <title>: pages get no metadata"),
            _ => {}
        }
        let script_hashes = html
            .as_deref()
            .map(security::inline_script_hashes)
            .unwrap_or_default();
        AppState {
            articles: cache::Articles::new(db.clone()),
            db,
            dist,
            policies: Arc::new(security::Policies::new(script_hashes, &[])),
            shell: Arc::new(shell),
            public_url: None,
            limits: Limits::new(policy),
            embed_partners: Vec::new(),
        }
    }

    /// Allows only these origins to frame embed pages.
    pub fn with_embed_partners(mut self, partners: Vec<String>) -> Self {
        self.policies = Arc::new(security::Policies::new(
            self.policies.script_hashes.clone(),
            &partners,
        ));
        self.embed_partners = partners;
        self
    }

    /// Sets the site's public address, e.g. `https://news.example`.
    pub fn with_public_url(mut self, url: Option<String>) -> Self {
        self.public_url = url.map(|u| u.trim_end_matches('/').to_owned());
        self
    }
}

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    Router::new()
        .nest("/api", api::router())
        .route("/oembed", axum::routing::get(embed::oembed))
        .fallback(web::serve)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .with_state(state)
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(15),
        ))
        .layer(CatchPanicLayer::new())
        .layer(TraceLayer::new_for_http())
}
