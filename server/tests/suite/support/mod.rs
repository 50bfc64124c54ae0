//! What the server's integration tests share: a server on a real database — a SQLite file in a
//! temporary folder, or a fresh database on a throwaway PostgreSQL cluster (`postgres`) —
//! seeded with the demo content, and a way to send it requests.
//!
//! Every test written with [`on_both_stores!`] runs twice, `…::sqlite` and `…::postgres`, with
//! the same body: [`fixture`] and [`store`] give the store the test runs on.
#![allow(dead_code)]

pub mod postgres;
pub mod server;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, StatusCode, header};
use broadsheet_model::Article;
use broadsheet_server::comments::Policy;
use broadsheet_server::http::site::Site;
use broadsheet_server::store::Store;
use broadsheet_server::store::postgres::PgStore;
use broadsheet_server::store::sqlite::SqliteStore;
use broadsheet_server::{AppState, DEMO_ARTICLES, app, import};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

tokio::task_local! {
    static KIND: Kind;
}

/// Runs a test's body with [`fixture`] and [`store`] giving stores of `kind`.
pub async fn on<T, F: Future<Output = T>>(kind: Kind, body: F) -> T {
    KIND.scope(kind, body).await
}

/// The store kind of the running test (SQLite outside [`on_both_stores!`]).
pub fn kind() -> Kind {
    KIND.try_with(|k| *k).unwrap_or(Kind::Sqlite)
}

/// Writes each `#[tokio::test] async fn name() { … }` given as two tests, `name::sqlite` and
/// `name::postgres`, with the same body.
#[macro_export]
macro_rules! on_both_stores {
    ($(#[$attr:meta])* async fn $name:ident() $body:block $($rest:tt)*) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            $(#[$attr])*
            async fn sqlite() {
                $crate::support::on($crate::support::Kind::Sqlite, async move $body).await
            }

            $(#[$attr])*
            async fn postgres() {
                $crate::support::on($crate::support::Kind::Postgres, async move $body).await
            }
        }
        $crate::on_both_stores! { $($rest)* }
    };
    () => {};
}

/// A test's database: the store, and a way to read its tables directly.
pub struct TestDb {
    pub store: Arc<dyn Store>,
    /// The SQLite store, or the Postgres database's URL.
    raw: Raw,
    /// Holds the SQLite file's folder.
    _dir: Option<tempfile::TempDir>,
}

enum Raw {
    Sqlite(SqliteStore),
    Postgres(String),
}

impl std::ops::Deref for TestDb {
    type Target = dyn Store;

    fn deref(&self) -> &(dyn Store + 'static) {
        self.store.as_ref()
    }
}

impl TestDb {
    /// The rows `sql` gives (SQL both databases understand), every value as text.
    pub async fn rows(&self, sql: &str) -> Vec<Vec<String>> {
        match &self.raw {
            Raw::Sqlite(db) => {
                let conn = db.conn().expect("conn");
                let mut stmt = conn.prepare(sql).expect("prepare");
                let columns = stmt.column_count();
                stmt.query_map([], |r| {
                    (0..columns)
                        .map(|i| {
                            Ok(match r.get::<_, rusqlite::types::Value>(i)? {
                                rusqlite::types::Value::Null => String::new(),
                                rusqlite::types::Value::Integer(n) => n.to_string(),
                                rusqlite::types::Value::Real(x) => x.to_string(),
                                rusqlite::types::Value::Text(t) => t,
                                rusqlite::types::Value::Blob(b) => {
                                    String::from_utf8_lossy(&b).into_owned()
                                }
                            })
                        })
                        .collect()
                })
                .expect("query")
                .collect::<Result<_, _>>()
                .expect("rows")
            }
            Raw::Postgres(url) => postgres::query_async(url, sql).await,
        }
    }

    /// The one number `sql` gives.
    pub async fn number(&self, sql: &str) -> i64 {
        self.rows(sql).await[0][0].parse().expect("a number")
    }

    /// The Postgres database's URL (`None` on SQLite).
    pub fn url(&self) -> Option<&str> {
        match &self.raw {
            Raw::Postgres(url) => Some(url),
            Raw::Sqlite(_) => None,
        }
    }
}

/// A new, empty (migrated) database of the running test's kind.
pub async fn store() -> TestDb {
    match kind() {
        Kind::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let opened = SqliteStore::open(&dir.path().join("test.db")).expect("db");
            assert!(opened.created);
            TestDb {
                store: Arc::new(opened.store.clone()),
                raw: Raw::Sqlite(opened.store),
                _dir: Some(dir),
            }
        }
        Kind::Postgres => {
            let url = postgres::shared().database(true);
            let store = PgStore::open(&url, Default::default())
                .await
                .expect("db")
                .store;
            TestDb {
                store: Arc::new(store),
                raw: Raw::Postgres(url),
                _dir: None,
            }
        }
    }
}

pub struct Fixture {
    _dir: tempfile::TempDir,
    pub state: AppState,
    /// The state's store, for tests that look at the tables themselves.
    pub db: TestDb,
}

/// The inline script of the fixture's `index.html`.
pub const BOOT: &str = "import init from\"/broadsheet-0123456789abcdef.js\";await init();";

/// The inline style sheet of the fixture's `index.html` (the build step writes one).
pub const STYLE: &str = ":root{color-scheme:light dark}body{margin:0}";

/// The fronts' part of it, which the build step writes beside the page (`first-screen-fronts.css`).
pub const FRONTS_STYLE: &str = ":root{color-scheme:light dark}";

pub async fn fixture() -> Fixture {
    fixture_with(Policy::default()).await
}

pub async fn fixture_with(policy: Policy) -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(dist.join("media")).expect("dist");
    std::fs::write(
        dist.join("index.html"),
        format!(
            "<!doctype html><title>Broadsheet</title><style id=broadsheet-style>{STYLE}</style>\
             <script type=module>{BOOT}</script>\
             <body><noscript>Scripts are off.</noscript></body></html>"
        ),
    )
    .expect("index");
    std::fs::write(dist.join("broadsheet-0123456789abcdef.js"), "export {}").expect("asset");
    std::fs::write(dist.join("media/a.svg"), "<svg/>").expect("media");
    std::fs::write(dist.join("first-screen-fronts.css"), FRONTS_STYLE).expect("fronts' CSS");
    // The demo's own pictures, as the build copies them: small enough to come inside a page.
    let public = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/media");
    for entry in std::fs::read_dir(public).expect("public/media").flatten() {
        std::fs::copy(entry.path(), dist.join("media").join(entry.file_name())).expect("a picture");
    }
    std::fs::write(
        dist.join("sw.js"),
        "const CATALOGUE = \"__BROADSHEET_CATALOGUE__\"; // worker",
    )
    .expect("worker");
    let db = store().await;
    import::import(&*db, DEMO_ARTICLES)
        .await
        .expect("demo imports");
    Fixture {
        // The tests' pages are asked for as news.example (and localhost, with no Host at all).
        state: AppState::new(Arc::clone(&db.store), dist, policy).with_site(Site::new(
            None,
            vec!["localhost".into(), "news.example".into()],
        )),
        db,
        _dir: dir,
    }
}

pub fn demo() -> Vec<Article> {
    serde_json::from_str(DEMO_ARTICLES).expect("demo decodes")
}

pub struct Reply {
    pub status: StatusCode,
    pub content_type: String,
    pub cache: String,
    pub retry_after: String,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    /// A header's value, or "" when it is missing.
    pub fn header(&self, name: impl axum::http::header::AsHeaderName) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    }

    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        assert!(
            self.content_type.starts_with("application/json"),
            "{}",
            self.content_type
        );
        serde_json::from_slice(&self.body).expect("JSON of the expected shape")
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub async fn send(f: &Fixture, method: &str, uri: &str) -> Reply {
    send_from(f, method, uri, Body::empty(), [127, 0, 0, 1]).await
}

/// GETs `uri` as sent to the host `host`.
pub async fn get_from_host(f: &Fixture, uri: &str, host: &str) -> Reply {
    get_with(f, uri, &[("host", host)]).await
}

/// GETs `uri` with these request headers.
pub async fn get_with(f: &Fixture, uri: &str, headers: &[(&str, &str)]) -> Reply {
    let builder = headers
        .iter()
        .fold(Request::builder().uri(uri), |b, (name, value)| {
            b.header(*name, *value)
        });
    request(f, builder, Body::empty(), [127, 0, 0, 1]).await
}

pub async fn post_json(f: &Fixture, uri: &str, body: &serde_json::Value) -> Reply {
    send_from(f, "POST", uri, Body::from(body.to_string()), [127, 0, 0, 1]).await
}

/// A reader's browser, as it names itself.
pub const BROWSER: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

/// The view beacon the app sends for `slug`, from a reader's browser at `ip`.
pub async fn post_view(f: &Fixture, slug: &str, ip: [u8; 4], agent: &str) -> Reply {
    let builder = Request::builder()
        .method("POST")
        .uri(format!("/api/articles/{slug}/views"))
        .header(header::USER_AGENT, agent);
    request(f, builder, Body::empty(), ip).await
}

/// Sends a request as if from the client at `ip`.
pub async fn send_from(f: &Fixture, method: &str, uri: &str, body: Body, ip: [u8; 4]) -> Reply {
    let builder = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json");
    request(f, builder, body, ip).await
}

async fn request(
    f: &Fixture,
    builder: axum::http::request::Builder,
    body: Body,
    ip: [u8; 4],
) -> Reply {
    let req = builder.body(body).expect("request");
    let service = app(f.state.clone()).layer(MockConnectInfo(SocketAddr::from((ip, 40000))));
    let res = service.oneshot(req).await.expect("response");
    let status = res.status();
    let headers = res.headers().clone();
    let body = res
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    let value = |name| {
        headers
            .get(name)
            .and_then(|v: &axum::http::HeaderValue| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    Reply {
        status,
        content_type: value(header::CONTENT_TYPE),
        cache: value(header::CACHE_CONTROL),
        retry_after: value(header::RETRY_AFTER),
        body,
        headers,
    }
}
