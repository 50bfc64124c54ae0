//! Following a feed against a real HTTP server on loopback that changes the feed between
//! polls, answers 304 to a conditional request, fails with 500, answers slowly, and sends an
//! HTML page or broken XML: what was imported is never touched by a bad poll, and failures back
//! off.

use crate::support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use broadsheet_server::follow::{FeedConfig, Follower, OnChange, Poll, spawn_all};
use broadsheet_server::import::Changed;
use broadsheet_server::store::Store;

#[derive(Clone)]
enum Mode {
    /// A feed with an `ETag`.
    Tagged(String, &'static str),
    /// A feed with a `Last-Modified`.
    Dated(String, &'static str),
    Status(u16),
    Slow(Duration),
    Html,
    Garbage,
    /// A body past the size cap.
    Huge,
}

#[derive(Default)]
struct Server {
    mode: Mutex<Option<Mode>>,
    requests: Mutex<Vec<HeaderMap>>,
}

impl Server {
    fn set(&self, mode: Mode) {
        *self.mode.lock().expect("lock") = Some(mode);
    }

    fn last_request(&self) -> HeaderMap {
        self.requests
            .lock()
            .expect("lock")
            .last()
            .cloned()
            .expect("a request")
    }
}

async fn answer(server: Arc<Server>, headers: HeaderMap) -> Response {
    server.requests.lock().expect("lock").push(headers.clone());
    let mode = server.mode.lock().expect("lock").clone();
    let asked = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    match mode.expect("a mode") {
        Mode::Tagged(body, etag) => {
            if asked(header::IF_NONE_MATCH).as_deref() == Some(etag) {
                return StatusCode::NOT_MODIFIED.into_response();
            }
            (
                [
                    (header::ETAG, etag),
                    (header::CONTENT_TYPE, "application/rss+xml"),
                ],
                body,
            )
                .into_response()
        }
        Mode::Dated(body, modified) => {
            if asked(header::IF_MODIFIED_SINCE).as_deref() == Some(modified) {
                return StatusCode::NOT_MODIFIED.into_response();
            }
            ([(header::LAST_MODIFIED, modified)], body).into_response()
        }
        Mode::Status(code) => StatusCode::from_u16(code).expect("status").into_response(),
        Mode::Slow(wait) => {
            tokio::time::sleep(wait).await;
            feed(&[("s", "Slow")]).into_response()
        }
        Mode::Html => (
            [(header::CONTENT_TYPE, "text/html")],
            "<!doctype html><html><body><h1>Maintenance</h1></body></html>",
        )
            .into_response(),
        Mode::Huge => " "
            .repeat(broadsheet_server::import::MAX_BYTES + 1)
            .into_response(),
        Mode::Garbage => "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><item><title>cut o"
            .into_response(),
    }
}

async fn start() -> (Arc<Server>, String) {
    let server = Arc::new(Server::default());
    let shared = Arc::clone(&server);
    let app = axum::Router::new().route(
        "/feed.xml",
        axum::routing::get(move |headers: HeaderMap| answer(Arc::clone(&shared), headers)),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    (server, format!("http://{addr}/feed.xml"))
}

/// An RSS feed of (guid, title) items.
fn feed(items: &[(&str, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(guid, title)| {
            format!(
                "<item><guid>{guid}</guid><title>{title}</title>\
                 <link>https://loopback.example/story-number-{guid}</link>\
                 <pubDate>Wed, 02 Dec 2026 10:00:00 GMT</pubDate>\
                 <description>&lt;p&gt;{title}, the story.&lt;/p&gt;</description></item>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Loopback News</title>\
         <link>https://loopback.example/</link><description>d</description>{items}</channel></rss>"
    )
}

fn config(url: &str, interval: u64, timeout: u64) -> FeedConfig {
    FeedConfig {
        url: url.to_owned(),
        section: Some("local".into()),
        source: None,
        interval,
        timeout,
    }
}

fn recorder() -> (OnChange, Arc<Mutex<Vec<Changed>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let shared = Arc::clone(&seen);
    let hook: OnChange = Arc::new(move |c: &Changed| shared.lock().expect("lock").push(c.clone()));
    (hook, seen)
}

async fn headlines(store: &dyn Store) -> Vec<String> {
    let page = store
        .latest(Some("local"), 50, None)
        .await
        .expect("reads")
        .map(|p| p.items)
        .unwrap_or_default();
    let mut h: Vec<String> = page.into_iter().map(|s| s.headline).collect();
    h.sort();
    h
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_followed_feed_updates_and_survives_every_kind_of_failure() {
    let f = support::fixture().await;
    let store: Arc<dyn Store> = Arc::clone(&f.db.store);
    let (server, url) = start().await;
    let (hook, changes) = recorder();
    let mut follower = Follower::new(Arc::clone(&store), config(&url, 60, 1), hook);

    // The first copy.
    server.set(Mode::Tagged(
        feed(&[("a", "Alpha"), ("b", "Beta")]),
        "\"v1\"",
    ));
    let Poll::Imported(report) = follower.poll().await else {
        panic!("imports")
    };
    assert_eq!((report.created, report.updated), (2, 0));
    assert_eq!(changes.lock().expect("lock").len(), 1);
    assert_eq!(changes.lock().expect("lock")[0].sections, ["local"]);
    assert_eq!(headlines(&*store).await, ["Alpha", "Beta"]);

    // Unchanged: a conditional request, answered 304.
    assert!(matches!(follower.poll().await, Poll::NotModified));
    assert_eq!(server.last_request()["if-none-match"], "\"v1\"");
    assert_eq!(changes.lock().expect("lock").len(), 1, "no change to tell");

    // Changed: an edited headline updates its article (same slug), a new item is created.
    server.set(Mode::Tagged(
        feed(&[("a", "Alpha, edited"), ("b", "Beta"), ("c", "Gamma")]),
        "\"v2\"",
    ));
    let Poll::Imported(report) = follower.poll().await else {
        panic!("imports")
    };
    assert_eq!((report.created, report.updated), (1, 2));
    assert_eq!(headlines(&*store).await, ["Alpha, edited", "Beta", "Gamma"]);
    let count = store.article_count().await.expect("count");
    let good = headlines(&*store).await;

    // Failures leave everything alone and back off: 2, 4, 8, 16, 32 intervals.
    assert_eq!(follower.next_delay(), Duration::from_secs(60));
    let failures: [(Mode, &str); 5] = [
        (Mode::Status(500), "500"),
        (Mode::Html, "HTML page"),
        (Mode::Garbage, "malformed"),
        (Mode::Slow(Duration::from_secs(3)), "tim"),
        (Mode::Huge, "over the limit of 16777216 bytes"),
    ];
    for (n, (mode, says)) in failures.into_iter().enumerate() {
        server.set(mode);
        let started = Instant::now();
        let Poll::Failed(reason) = follower.poll().await else {
            panic!("fails: {says}")
        };
        assert!(reason.contains(says), "{reason}");
        assert!(
            started.elapsed() < Duration::from_millis(2_500),
            "the timeout holds"
        );
        assert_eq!(follower.failures(), n as u32 + 1);
        assert_eq!(follower.next_delay(), Duration::from_secs(60 << (n + 1)));
        assert_eq!(
            store.article_count().await.expect("count"),
            count,
            "nothing deleted"
        );
        assert_eq!(headlines(&*store).await, good, "nothing changed");
    }
    // The conditional request still names the last copy that imported.
    assert_eq!(server.last_request()["if-none-match"], "\"v2\"");

    // Back to normal: a 304 for the copy we have, and the backoff is over.
    server.set(Mode::Tagged(String::new(), "\"v2\""));
    assert!(matches!(follower.poll().await, Poll::NotModified));
    assert_eq!(follower.next_delay(), Duration::from_secs(60));

    // A server that dates its copies instead: If-Modified-Since.
    let modified = "Wed, 02 Dec 2026 11:00:00 GMT";
    server.set(Mode::Dated(feed(&[("d", "Delta")]), modified));
    let Poll::Imported(report) = follower.poll().await else {
        panic!("imports")
    };
    assert_eq!(report.created, 1);
    assert!(matches!(follower.poll().await, Poll::NotModified));
    assert_eq!(server.last_request()["if-modified-since"], modified);
    assert_eq!(store.article_count().await.expect("count"), count + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn following_polls_on_its_own_and_tells_the_hook() {
    let f = support::fixture().await;
    let store: Arc<dyn Store> = Arc::clone(&f.db.store);
    let (server, url) = start().await;
    server.set(Mode::Tagged(feed(&[("a", "First")]), "\"1\""));
    let (hook, changes) = recorder();
    let tasks = spawn_all(Arc::clone(&store), vec![config(&url, 1, 1)], hook);
    let deadline = Instant::now() + Duration::from_secs(10);
    while changes.lock().expect("lock").is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The feed changes; the next poll (a second later) brings it in.
    server.set(Mode::Tagged(
        feed(&[("a", "First"), ("b", "Second")]),
        "\"2\"",
    ));
    while changes.lock().expect("lock").len() < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for task in tasks {
        task.abort();
    }
    let changes = changes.lock().expect("lock").clone();
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!(changes[0].articles.len(), 1);
    assert_eq!(changes[1].articles.len(), 2);
    assert_eq!(headlines(&*store).await, ["First", "Second"]);
    assert!(server.requests.lock().expect("lock").len() >= 2);
}
