//! Faults with two servers on one PostgreSQL database: a server SIGKILLed while four clients
//! post, and PostgreSQL itself restarted under load. Every acknowledged comment is stored
//! exactly once; readers meanwhile get a 503 with `Retry-After` (the app's "busy" state), never
//! a hang or a crash; the servers reconnect by themselves.

use crate::support;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use broadsheet_model::Comment;
use support::postgres::{Cluster, query, shared};
use support::server::{Server, agent};

const CLIENTS: usize = 4;

fn newest_slug(server: &Server) -> String {
    server.get_json("/api/articles?limit=1").expect("list")["items"][0]["slug"]
        .as_str()
        .expect("a slug")
        .to_owned()
}

/// Client `c` posts comments until `stop`, each to one server and, when that fails, to the
/// other, always with the same key, until one acknowledges it. Returns what was acknowledged.
fn poster(
    run: &'static str,
    c: usize,
    bases: [String; 2],
    slug: String,
    stop: Arc<AtomicBool>,
) -> thread::JoinHandle<(HashMap<String, Comment>, usize)> {
    thread::spawn(move || {
        let agent = agent();
        let mut acknowledged = HashMap::new();
        let mut failures = 0;
        let mut n = 0;
        while !stop.load(Ordering::SeqCst) {
            n += 1;
            let key = format!("{run}-{c:02}-{n:05}-key");
            let body = serde_json::json!({
                "nickname": format!("client {c}"),
                "body": format!("comment {n} from client {c}"),
                "idempotency_key": key,
            });
            let deadline = Instant::now() + Duration::from_secs(60);
            let mut target = c + n;
            loop {
                assert!(Instant::now() < deadline, "{key} was never acknowledged");
                let url = format!("{}/api/articles/{slug}/comments", bases[target % 2]);
                match agent.post(&url).send_json(&body) {
                    Ok(mut r) if r.status() == 201 => {
                        let comment: Comment = r.body_mut().read_json().expect("comment");
                        acknowledged.insert(key, comment);
                        break;
                    }
                    // Killed mid-request, not up again, or the database away: the other server,
                    // the same key.
                    _ => {
                        failures += 1;
                        target += 1;
                        thread::sleep(Duration::from_millis(25));
                    }
                }
            }
        }
        (acknowledged, failures)
    })
}

/// Every acknowledged comment is stored once, as acknowledged, and nothing else was stored.
fn assert_stored_once(url: &str, run: &str, acknowledged: &HashMap<String, Comment>) {
    let rows = query(
        url,
        &format!(
            "SELECT idempotency_key, id, body, COUNT(*) OVER (PARTITION BY idempotency_key)
             FROM comments WHERE idempotency_key LIKE '{run}-%'"
        ),
    );
    let stored: HashMap<String, (i64, String, i64)> = rows
        .into_iter()
        .map(|r| {
            (
                r[0].clone(),
                (
                    r[1].parse().expect("id"),
                    r[2].clone(),
                    r[3].parse().expect("copies"),
                ),
            )
        })
        .collect();
    assert_eq!(
        stored.len(),
        acknowledged.len(),
        "no comment stored that was not acknowledged"
    );
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

fn join(
    clients: Vec<thread::JoinHandle<(HashMap<String, Comment>, usize)>>,
) -> (HashMap<String, Comment>, usize) {
    let mut acknowledged = HashMap::new();
    let mut failures = 0;
    for client in clients {
        let (acks, fails) = client.join().expect("client thread");
        acknowledged.extend(acks);
        failures += fails;
    }
    (acknowledged, failures)
}

#[test]
fn a_server_killed_while_four_clients_post_loses_and_doubles_nothing() {
    let url = shared().database(false);
    let args = ["--comments-per-minute", "1000000"];
    let killed = Arc::new(Mutex::new(Server::start(&url, &args)));
    let other = Server::start(&url, &args);
    let slug = newest_slug(&other);
    let base = killed.lock().expect("lock").base.clone();
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            poster(
                "sigkill",
                c,
                [base.clone(), other.base.clone()],
                slug.clone(),
                stop.clone(),
            )
        })
        .collect();
    for k in 0..4 {
        thread::sleep(Duration::from_millis(200 + 90 * k));
        killed.lock().expect("lock").restart();
    }
    thread::sleep(Duration::from_millis(200));
    stop.store(true, Ordering::SeqCst);
    let (acknowledged, failures) = join(clients);
    assert!(
        failures > 0,
        "the kills must have interrupted some requests"
    );
    assert!(acknowledged.len() >= 40, "{}", acknowledged.len());
    assert_stored_once(&url, "sigkill", &acknowledged);
}

#[test]
fn postgres_restarted_under_load_is_a_busy_moment_not_a_failure() {
    // A cluster of this test's own: it is stopped and started.
    let cluster = Cluster::start();
    let url = cluster.database(false);
    let args = ["--comments-per-minute", "1000000"];
    let mut servers = [Server::start(&url, &args), Server::start(&url, &args)];
    let slug = newest_slug(&servers[0]);
    let bases = [servers[0].base.clone(), servers[1].base.clone()];
    let stop = Arc::new(AtomicBool::new(false));

    // Readers: every answer is a 200, or a 503 with Retry-After; none takes longer than the
    // client's patience (5 s), none is a 500.
    let readers: Vec<_> = (0..CLIENTS)
        .map(|r| {
            let (base, slug, stop) = (bases[r % 2].clone(), slug.clone(), stop.clone());
            thread::spawn(move || {
                let agent = agent();
                let mut seen: HashMap<u16, usize> = HashMap::new();
                let mut slowest = Duration::ZERO;
                let mut retry_after = true;
                while !stop.load(Ordering::SeqCst) {
                    let started = Instant::now();
                    let r = agent
                        .get(format!("{base}/api/articles/{slug}/comments"))
                        .call()
                        .expect("an answer, not a hang or a closed connection");
                    slowest = slowest.max(started.elapsed());
                    let status = r.status().as_u16();
                    if status == 503 {
                        retry_after &= r.headers().get("retry-after").is_some();
                    }
                    *seen.entry(status).or_default() += 1;
                    thread::sleep(Duration::from_millis(20));
                }
                (seen, slowest, retry_after)
            })
        })
        .collect();
    let writers: Vec<_> = (0..2)
        .map(|c| poster("restart", c, bases.clone(), slug.clone(), stop.clone()))
        .collect();

    thread::sleep(Duration::from_millis(500));
    cluster.pause();
    thread::sleep(Duration::from_secs(2));
    cluster.resume();
    // Both servers answer from the database again, by themselves.
    let back = Instant::now();
    for server in &servers {
        while server
            .get_json(&format!("/api/articles/{slug}/comments"))
            .is_err()
        {
            assert!(
                back.elapsed() < Duration::from_secs(15),
                "{} did not reconnect",
                server.base
            );
            thread::sleep(Duration::from_millis(50));
        }
    }
    thread::sleep(Duration::from_millis(500));
    stop.store(true, Ordering::SeqCst);

    let mut statuses: HashMap<u16, usize> = HashMap::new();
    for reader in readers {
        let (seen, slowest, retry_after) = reader.join().expect("reader");
        assert!(slowest < Duration::from_secs(5), "a read took {slowest:?}");
        assert!(retry_after, "every 503 says when to come back");
        for (status, n) in seen {
            *statuses.entry(status).or_default() += n;
        }
    }
    assert!(
        statuses.contains_key(&503),
        "the restart was seen: {statuses:?}"
    );
    assert!(
        statuses.keys().all(|s| [200, 503].contains(s)),
        "only answers or busy: {statuses:?}"
    );
    let (acknowledged, _) = join(writers);
    assert!(!acknowledged.is_empty());
    assert_stored_once(&url, "restart", &acknowledged);
    for server in &mut servers {
        assert!(
            server.running(),
            "{} is still the same process",
            server.base
        );
    }
}
