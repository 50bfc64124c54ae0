//! What the server's integration tests share: a server on a real SQLite file in a temporary
//! folder, seeded with the demo content, and a way to send it requests.
#![allow(dead_code)]

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, StatusCode, header};
use broadsheet_model::Article;
use broadsheet_server::comments::Policy;
use broadsheet_server::db::Db;
use broadsheet_server::{AppState, DEMO_ARTICLES, app, import};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub struct Fixture {
    _dir: tempfile::TempDir,
    pub state: AppState,
}

pub fn fixture() -> Fixture {
    fixture_with(Policy::default())
}

pub fn fixture_with(policy: Policy) -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(dist.join("media")).expect("dist");
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>Broadsheet</title>",
    )
    .expect("index");
    std::fs::write(dist.join("broadsheet-0123456789abcdef.js"), "export {}").expect("asset");
    std::fs::write(dist.join("media/a.svg"), "<svg/>").expect("media");
    let opened = Db::open(&dir.path().join("test.db")).expect("db");
    assert!(opened.created);
    import::import(&mut opened.db.conn().expect("conn"), DEMO_ARTICLES).expect("demo imports");
    Fixture {
        state: AppState::new(opened.db, dist, policy),
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
    pub body: Vec<u8>,
}

impl Reply {
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

pub async fn post_json(f: &Fixture, uri: &str, body: &serde_json::Value) -> Reply {
    send_from(f, "POST", uri, Body::from(body.to_string()), [127, 0, 0, 1]).await
}

/// Sends a request as if from the client at `ip`.
pub async fn send_from(f: &Fixture, method: &str, uri: &str, body: Body, ip: [u8; 4]) -> Reply {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body)
        .expect("request");
    let service = app(f.state.clone()).layer(MockConnectInfo(SocketAddr::from((ip, 40000))));
    let res = service.oneshot(req).await.expect("response");
    let (content_type, cache, retry_after) = {
        let header = |name| {
            res.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned()
        };
        (
            header(header::CONTENT_TYPE),
            header(header::CACHE_CONTROL),
            header(header::RETRY_AFTER),
        )
    };
    let status = res.status();
    let body = res
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    Reply {
        status,
        content_type,
        cache,
        retry_after,
        body,
    }
}
