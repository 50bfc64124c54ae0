//! Purges leave the server off the write path and are retried: a stand-in for Fastly's purge API
//! (its documented request shape) that fails once, then accepts.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use broadsheet_server::purge::{Purger, Target};

#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<(String, String, String)>>>);

async fn purge(
    State(seen): State<Seen>,
    Path(service): Path<String>,
    headers: HeaderMap,
) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let mut seen = seen.0.lock().expect("lock");
    seen.push((service, header("fastly-key"), header("surrogate-key")));
    // The first request fails, as an API having a bad moment does.
    if seen.len() == 1 {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    }
}

#[tokio::test]
async fn a_failed_purge_is_retried_with_the_keys_that_queued_meanwhile() {
    let seen = Seen::default();
    let app = Router::new()
        .route("/service/{service}/purge", post(purge))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });

    let purger = Purger::start(vec![Target::Fastly {
        api: format!("http://{addr}"),
        service: "SU1Z0isxPaozGVKXdv0eY".into(),
        token: "test-token".into(),
    }]);
    let queued = Instant::now();
    purger.purge(["comments:harbour".to_owned()]);
    assert!(
        queued.elapsed() < Duration::from_millis(50),
        "purge() never waits"
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    purger.purge(["lists".to_owned(), "article:harbour".to_owned()]);

    let deadline = Instant::now() + Duration::from_secs(5);
    while seen.0.lock().expect("lock").len() < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let seen = seen.0.lock().expect("lock").clone();
    assert!(seen.len() >= 2, "{seen:?}");
    assert_eq!(
        seen[0],
        (
            "SU1Z0isxPaozGVKXdv0eY".to_owned(),
            "test-token".to_owned(),
            "comments:harbour".to_owned()
        )
    );
    // The retry carries what queued while the first try failed.
    assert_eq!(seen[1].2, "article:harbour comments:harbour lists");
}
