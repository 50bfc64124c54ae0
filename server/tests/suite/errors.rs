//! Request errors are logged in one place, the `log_errors` middleware: a broken store's 500 is
//! logged once, with the detail the reader never sees; a refused request only at debug level.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, StatusCode};
use broadsheet_model::{
    ApiError, Article, ArticleSummary, CommentPage, Front, Listing, Module, Page, Section,
};
use broadsheet_server::comments::Policy;
use broadsheet_server::store::{
    Cursor, FeedOf, HourlyViews, ImportItem, Imported, ListOf, Moderated, NewPost, NewsEntry,
    Posted, Report, Screen, ScreenQuery, SitemapEntry, SitemapPart, Store, StoreError,
};
use broadsheet_server::{AppState, app};
use http_body_util::BodyExt;
use tower::ServiceExt;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

const BROKEN: &str = "the disk is on fire";

/// A store whose every call fails.
struct Broken;

fn broken<T>() -> Result<T, StoreError> {
    Err(StoreError::Database(BROKEN.into()))
}

#[async_trait]
impl Store for Broken {
    async fn article(&self, _: &str) -> Result<Option<Article>, StoreError> {
        broken()
    }
    async fn latest(
        &self,
        _: Option<&str>,
        _: u32,
        _: Option<Cursor>,
    ) -> Result<Option<Page<ArticleSummary>>, StoreError> {
        broken()
    }
    async fn listing(
        &self,
        _: &ListOf,
        _: u32,
        _: Option<Cursor>,
    ) -> Result<Option<Listing>, StoreError> {
        broken()
    }
    async fn sections(&self) -> Result<Vec<Section>, StoreError> {
        broken()
    }
    async fn front(&self, _: u32) -> Result<Front, StoreError> {
        broken()
    }
    async fn article_modules(&self, _: &str) -> Result<Option<Vec<Module>>, StoreError> {
        broken()
    }
    async fn rankings(&self, _: i64) -> Result<Vec<Module>, StoreError> {
        broken()
    }
    async fn first_screen(&self, _: ScreenQuery) -> Result<Screen, StoreError> {
        broken()
    }
    async fn record_views(&self, _: Vec<HourlyViews>) -> Result<(), StoreError> {
        broken()
    }
    async fn comments(
        &self,
        _: &str,
        _: u32,
        _: Option<i64>,
    ) -> Result<Option<CommentPage>, StoreError> {
        broken()
    }
    async fn earlier_post(&self, _: &NewPost) -> Result<Option<Posted>, StoreError> {
        broken()
    }
    async fn post_comment(&self, _: NewPost) -> Result<Posted, StoreError> {
        broken()
    }
    async fn report_comment(&self, _: Report) -> Result<bool, StoreError> {
        broken()
    }
    async fn moderation_list(&self, _: Option<&str>) -> Result<Vec<Moderated>, StoreError> {
        broken()
    }
    async fn approve_comment(&self, _: i64) -> Result<bool, StoreError> {
        broken()
    }
    async fn remove_comment(&self, _: i64) -> Result<bool, StoreError> {
        broken()
    }
    async fn comment_article(&self, _: i64) -> Result<Option<String>, StoreError> {
        broken()
    }
    async fn import(&self, _: Vec<ImportItem>) -> Result<Imported, StoreError> {
        broken()
    }
    async fn seed_demo_views(&self, _: i64) -> Result<usize, StoreError> {
        broken()
    }
    async fn article_count(&self) -> Result<u64, StoreError> {
        broken()
    }
    async fn feed(&self, _: &FeedOf, _: u32) -> Result<Option<Vec<Article>>, StoreError> {
        broken()
    }
    async fn sitemap_parts(&self, _: u32) -> Result<Vec<SitemapPart>, StoreError> {
        broken()
    }
    async fn sitemap_part(&self, _: u32, _: u32) -> Result<Vec<SitemapEntry>, StoreError> {
        broken()
    }
    async fn published_since(&self, _: i64, _: u32) -> Result<Vec<NewsEntry>, StoreError> {
        broken()
    }
    async fn search(
        &self,
        _: Vec<String>,
        _: u32,
        _: Option<broadsheet_server::store::SearchCursor>,
    ) -> Result<Page<(String, broadsheet_server::store::SearchCursor)>, StoreError> {
        broken()
    }
}

/// Every event logged: its level, target and fields.
#[derive(Clone, Default)]
struct Events(Arc<Mutex<Vec<(Level, String, String)>>>);

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={:?} ", field.name(), value));
    }
}

impl<S: Subscriber> Layer<S> for Events {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        let meta = event.metadata();
        self.0
            .lock()
            .expect("lock")
            .push((*meta.level(), meta.target().to_owned(), fields.0));
    }
}

impl Events {
    fn at(&self, level: Level) -> Vec<String> {
        let events = self.0.lock().expect("lock");
        events
            .iter()
            .filter(|(l, ..)| *l == level)
            .map(|(_, target, fields)| format!("{target}: {fields}"))
            .collect()
    }
}

/// Sends one request to an app on `state`, and what it logged.
async fn send(
    state: AppState,
    method: &str,
    uri: &str,
    body: &str,
) -> (StatusCode, Vec<u8>, Events) {
    let events = Events::default();
    let subscriber = tracing_subscriber::registry().with(events.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .body(Body::from(body.to_owned()))
        .expect("request");
    let service = app(state).layer(MockConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    let res = service.oneshot(req).await.expect("response");
    let status = res.status();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (status, bytes.to_vec(), events)
}

fn broken_state() -> (tempfile::TempDir, AppState) {
    let dir = tempfile::tempdir().expect("temp dir");
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).expect("dist");
    std::fs::write(dist.join("index.html"), "<!doctype html><title>B</title>").expect("index");
    let state = AppState::new(Arc::new(Broken), dist, Policy::default());
    (dir, state)
}

#[tokio::test]
async fn a_broken_store_is_a_500_logged_once_with_its_detail() {
    let (_dir, state) = broken_state();
    for (method, uri, body) in [
        ("GET", "/api/sections", ""),
        ("GET", "/api/articles/harbour-cranes", ""),
        ("GET", "/api/articles?limit=5", ""),
        ("GET", "/api/search?q=tide", ""),
        ("POST", "/api/articles/harbour-cranes/views", ""),
        (
            "POST",
            "/api/articles/harbour-cranes/comments",
            r#"{"nickname":"Mina","body":"Hi","idempotency_key":"test-key-00000001-abcdef"}"#,
        ),
        (
            "GET",
            "/oembed?url=http%3A%2F%2Flocalhost%2Farticle%2Fa",
            "",
        ),
        ("GET", "/", ""),
        ("GET", "/feed.xml", ""),
        ("GET", "/tag/climate/atom.xml", ""),
        ("GET", "/sitemap.xml", ""),
        ("GET", "/sitemaps/news.xml", ""),
    ] {
        let (status, body, events) = send(state.clone(), method, uri, body).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{method} {uri}");
        let errors = events.at(Level::ERROR);
        assert_eq!(errors.len(), 1, "{method} {uri}: logged once: {errors:?}");
        assert!(
            errors[0].starts_with("broadsheet_server::http::error:"),
            "{errors:?}"
        );
        assert!(errors[0].contains(BROKEN), "with its detail: {errors:?}");
        assert!(
            errors[0].contains(uri.split('?').next().unwrap_or(uri)),
            "{errors:?}"
        );
        let text = String::from_utf8_lossy(&body);
        assert!(!text.contains(BROKEN), "never to the reader: {text}");
        if uri.starts_with("/api") {
            let error: ApiError = serde_json::from_slice(&body).expect("JSON error");
            assert_eq!(error.error.code, "internal");
        }
    }
}

#[tokio::test]
async fn a_refused_request_is_logged_at_debug_level_only() {
    let (_dir, state) = broken_state();
    for (method, uri, body, status) in [
        ("GET", "/api/articles/Not_A_Slug", "", StatusCode::NOT_FOUND),
        ("GET", "/api/articles?limit=0", "", StatusCode::BAD_REQUEST),
        (
            "POST",
            "/api/articles/harbour-cranes/comments",
            "[1]",
            StatusCode::BAD_REQUEST,
        ),
        ("GET", "/api/nothing-here", "", StatusCode::NOT_FOUND),
    ] {
        let (got, _, events) = send(state.clone(), method, uri, body).await;
        assert_eq!(got, status, "{method} {uri}");
        assert_eq!(events.at(Level::ERROR), Vec::<String>::new(), "{uri}");
        assert_eq!(events.at(Level::WARN), Vec::<String>::new(), "{uri}");
        let debug: Vec<_> = events
            .at(Level::DEBUG)
            .into_iter()
            .filter(|e| e.starts_with("broadsheet_server"))
            .collect();
        assert_eq!(debug.len(), 1, "{uri}: {debug:?}");
        assert!(debug[0].contains("request refused"), "{debug:?}");
    }
}
