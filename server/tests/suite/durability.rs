//! The server under stress, as a process: an acknowledged comment survives the server being
//! killed at any moment, a burst of concurrent requests is answered, and SIGTERM stops it
//! gracefully without losing an acknowledged write.
//!
//! Killing: clients post comments concurrently while the server process is SIGKILLed and
//! restarted several times. A client whose request failed retries it with the same idempotency
//! key. At the end, every acknowledged comment must be stored exactly once and SQLite's integrity
//! check must pass.

use crate::support;

use std::collections::HashMap;
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

/// The newest article's slug.
fn first_slug(base: &str) -> String {
    let mut response = agent()
        .get(format!("{base}/api/articles?limit=1"))
        .call()
        .expect("list");
    let page: serde_json::Value = response.body_mut().read_json().expect("json");
    page["items"][0]["slug"]
        .as_str()
        .expect("a slug")
        .to_owned()
}

/// A server of the test's own, on a fresh database in a temporary directory.
struct Running {
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
    port: u16,
    base: String,
    /// The newest article, which the clients comment on.
    slug: String,
}

fn running(name: &str) -> (Running, Child) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join(format!("{name}.db"));
    let port = support::server::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let server = start(&db, port);
    wait_until_ready(&base);
    let slug = first_slug(&base);
    let running = Running {
        _dir: dir,
        db,
        port,
        base,
        slug,
    };
    (running, server)
}

/// Client `c`'s `n`th comment in a test run called `run`: its idempotency key and request body.
fn new_comment(run: &str, c: usize, n: usize) -> (String, serde_json::Value) {
    let key = format!("{run}-{c:02}-{n:05}-key");
    let body = serde_json::json!({
        "nickname": format!("client {c}"),
        "body": format!("comment {n} from client {c}"),
        "idempotency_key": key,
    });
    (key, body)
}

/// Every acknowledged comment is stored, exactly once, as it was acknowledged.
fn assert_stored_once(
    stored: &HashMap<String, (i64, String, i64)>,
    acknowledged: &HashMap<String, Comment>,
) {
    for (key, comment) in acknowledged {
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

/// Every stored comment by idempotency key: (id, body, copies with that key).
fn stored_comments(db: &Path) -> HashMap<String, (i64, String, i64)> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    assert_eq!(integrity, "ok");
    let mut stmt = conn
        .prepare("SELECT idempotency_key, id, body, COUNT(*) OVER (PARTITION BY idempotency_key) FROM comments")
        .expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

#[test]
fn acknowledged_comments_survive_sigkill() {
    let (run, server) = running("durable");
    let Running {
        db,
        port,
        base,
        slug,
        ..
    } = &run;
    let server = Arc::new(Mutex::new(server));

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
                    let (key, body) = new_comment("durability", c, n);
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
        *child = start(db, *port);
        drop(child);
        wait_until_ready(base);
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

    let stored = stored_comments(db);
    assert_eq!(
        stored.len(),
        acknowledged.len(),
        "no comment stored that was not acknowledged"
    );
    assert_stored_once(&stored, &acknowledged);
}

/// A burst of concurrent readers and writers: every request is answered, none with a server
/// error.
#[test]
fn a_burst_of_concurrent_requests_is_answered() {
    const THREADS: usize = 64;
    const REQUESTS: usize = 20;
    let (run, mut server) = running("burst");
    let Running { db, base, slug, .. } = &run;
    let go = Arc::new(std::sync::Barrier::new(THREADS));
    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let (base, slug, go) = (base.clone(), slug.clone(), go.clone());
            thread::spawn(move || {
                let agent = agent();
                let mut statuses = Vec::new();
                go.wait();
                for n in 0..REQUESTS {
                    let result = match n % 4 {
                        0 => agent.get(format!("{base}/api/articles/{slug}")).call(),
                        1 => agent
                            .get(format!("{base}/api/articles/{slug}/comments"))
                            .call(),
                        2 => agent.get(format!("{base}/api/front")).call(),
                        _ => agent
                            .post(format!("{base}/api/articles/{slug}/comments"))
                            .send_json(serde_json::json!({
                                "nickname": format!("burst {t}"),
                                "body": format!("burst comment {n} from {t}"),
                                "idempotency_key": format!("burst-{t:03}-{n:03}-key"),
                            })),
                    };
                    statuses.push(
                        result
                            .map(|r| r.status().as_u16())
                            .map_err(|e| e.to_string()),
                    );
                }
                statuses
            })
        })
        .collect();
    let mut answered = 0;
    for thread in threads {
        for status in thread.join().expect("client thread") {
            let status = status.expect("every request is answered");
            assert!(status == 200 || status == 201, "status {status}");
            answered += 1;
        }
    }
    assert_eq!(answered, THREADS * REQUESTS);
    assert_eq!(stored_comments(db).len(), THREADS * REQUESTS / 4);
    server.kill().expect("kill");
    server.wait().expect("reaped");
}

/// SIGTERM while clients are posting: the server finishes what it accepted and exits 0, and
/// every comment it acknowledged is stored, exactly once.
#[test]
fn sigterm_stops_gracefully_without_losing_acknowledged_writes() {
    let (run, mut server) = running("graceful");
    let Running { db, base, slug, .. } = &run;
    let stopped = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let url = format!("{base}/api/articles/{slug}/comments");
            let stopped = stopped.clone();
            thread::spawn(move || {
                let agent = agent();
                let mut acknowledged = HashMap::new();
                let mut refused_after_stop = 0;
                for n in 0.. {
                    let (key, body) = new_comment("graceful", c, n);
                    match agent.post(&url).send_json(&body) {
                        Ok(mut r) if r.status() == 201 => {
                            let comment: Comment = r.body_mut().read_json().expect("comment");
                            acknowledged.insert(key, comment);
                        }
                        other => {
                            let status = other.as_ref().map(|r| r.status().as_u16());
                            assert!(
                                stopped.load(Ordering::SeqCst),
                                "{key} failed before the stop: {status:?}"
                            );
                            refused_after_stop += 1;
                            if refused_after_stop > 3 {
                                break;
                            }
                        }
                    }
                }
                acknowledged
            })
        })
        .collect();
    thread::sleep(Duration::from_millis(400));
    stopped.store(true, Ordering::SeqCst);
    let terminated = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .expect("kill -TERM");
    assert!(terminated.success());
    let exit = server.wait().expect("the server exits");
    assert!(exit.success(), "a graceful stop exits 0, not {exit:?}");

    let mut acknowledged = HashMap::new();
    for client in clients {
        acknowledged.extend(client.join().expect("client thread"));
    }
    assert!(
        acknowledged.len() > CLIENTS,
        "the clients posted before the stop"
    );
    let stored = stored_comments(db);
    assert_stored_once(&stored, &acknowledged);
}
