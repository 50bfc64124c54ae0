//! An acknowledged comment survives the server being killed at any moment.
//!
//! Clients post comments concurrently while the server process is SIGKILLed and restarted several
//! times. A client whose request failed retries it with the same idempotency key. At the end,
//! every acknowledged comment must be stored exactly once and SQLite's integrity check must pass.

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use broadsheet_model::Comment;

const BIN: &str = env!("CARGO_BIN_EXE_broadsheet-server");
const CLIENTS: usize = 4;
const POSTS_PER_CLIENT: usize = 40;
const KILLS: usize = 4;

fn start(db: &Path, port: u16) -> Child {
    Command::new(BIN)
        .args(["--addr", &format!("127.0.0.1:{port}"), "--dist", "no-dist"])
        .arg("--db")
        .arg(db)
        .args(["--comments-per-minute", "1000000"])
        .env("RUST_LOG", "off")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("server starts")
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .into()
}

fn wait_until_ready(base: &str) {
    let agent = agent();
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if agent
            .get(format!("{base}/api/sections"))
            .call()
            .is_ok_and(|r| r.status() == 200)
        {
            return;
        }
        thread::sleep(Duration::from_millis(20));
    }
    panic!("the server did not come up");
}

#[test]
fn acknowledged_comments_survive_sigkill() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("durable.db");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let server = Arc::new(Mutex::new(start(&db, port)));
    wait_until_ready(&base);
    let slug = {
        let mut response = agent()
            .get(format!("{base}/api/articles?limit=1"))
            .call()
            .expect("list");
        let page: serde_json::Value = response.body_mut().read_json().expect("json");
        page["items"][0]["slug"]
            .as_str()
            .expect("a slug")
            .to_owned()
    };

    // Clients post until the kills are over (and at least POSTS_PER_CLIENT each), so every kill
    // lands in the middle of the traffic.
    let kills_done = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let url = format!("{base}/api/articles/{slug}/comments");
            let kills_done = kills_done.clone();
            thread::spawn(move || {
                let agent = agent();
                let mut acknowledged = HashMap::new();
                let mut failures = 0;
                let mut n = 0;
                while n < POSTS_PER_CLIENT || !kills_done.load(Ordering::SeqCst) {
                    n += 1;
                    let key = format!("durability-{c:02}-{n:04}-key");
                    let body = serde_json::json!({
                        "nickname": format!("client {c}"),
                        "body": format!("comment {n} from client {c}"),
                        "idempotency_key": key,
                    });
                    let deadline = Instant::now() + Duration::from_secs(60);
                    loop {
                        assert!(Instant::now() < deadline, "{key} was never acknowledged");
                        match agent.post(&url).send_json(&body) {
                            Ok(mut r) if r.status() == 201 => {
                                let comment: Comment = r.body_mut().read_json().expect("comment");
                                acknowledged.insert(key, comment);
                                break;
                            }
                            // Killed mid-request, or not up again yet: retry with the same key.
                            _ => {
                                failures += 1;
                                thread::sleep(Duration::from_millis(25));
                            }
                        }
                    }
                }
                (acknowledged, failures)
            })
        })
        .collect();

    for k in 0..KILLS {
        thread::sleep(Duration::from_millis(150 + 90 * k as u64));
        let mut child = server.lock().expect("lock");
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        *child = start(&db, port);
        drop(child);
        wait_until_ready(&base);
    }
    kills_done.store(true, Ordering::SeqCst);

    let mut acknowledged = HashMap::new();
    let mut failures = 0;
    for client in clients {
        let (acks, fails) = client.join().expect("client thread");
        acknowledged.extend(acks);
        failures += fails;
    }
    {
        let mut child = server.lock().expect("lock");
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
    }
    assert!(
        failures > 0,
        "the kills must have interrupted some requests"
    );
    assert!(acknowledged.len() >= CLIENTS * POSTS_PER_CLIENT);

    let conn = rusqlite::Connection::open(&db).expect("open");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    assert_eq!(integrity, "ok");
    let mut stmt = conn
        .prepare("SELECT idempotency_key, id, body, COUNT(*) OVER (PARTITION BY idempotency_key) FROM comments")
        .expect("prepare");
    let stored: HashMap<String, (i64, String, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(
        stored.len(),
        acknowledged.len(),
        "no comment stored that was not acknowledged"
    );
    for (key, comment) in &acknowledged {
        let (id, body, copies) = stored
            .get(key)
            .unwrap_or_else(|| panic!("{key} was acknowledged but lost"));
        assert_eq!(
            (*id, body, *copies),
            (comment.id, &comment.body, 1),
            "{key}"
        );
    }
}
