//! Two `broadsheet-server` processes on one PostgreSQL database keep the promises one server
//! keeps: a key sent to both stores one comment and both answer with it; a client's comment
//! allowance is one allowance, whichever server it posts to; and what is changed through one
//! (a comment, a report, moderation, an import) shows through the other within a second, its
//! kept articles, pages, modules and rankings included (the store's LISTEN/NOTIFY). The
//! moderation and import commands work on the Postgres database too.

use crate::support;

use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use support::postgres::shared;
use support::server::{Server, agent, cli};

/// An empty database with two servers on it (the first creates the schema and the demo).
fn two_servers(extra: &[&str]) -> (String, Server, Server) {
    let url = shared().database(false);
    let a = Server::start(&url, extra);
    let b = Server::start(&url, extra);
    (url, a, b)
}

fn newest_slug(server: &Server) -> String {
    server.get_json("/api/articles?limit=1").expect("list")["items"][0]["slug"]
        .as_str()
        .expect("a slug")
        .to_owned()
}

fn comment(key: &str, body: &str) -> serde_json::Value {
    serde_json::json!({"nickname": "Reader", "body": body, "idempotency_key": key})
}

/// Posts `body` to `server`: (status, answer body).
fn post(server: &Server, path: &str, body: &serde_json::Value) -> (u16, String) {
    let mut r = agent()
        .post(format!("{}{path}", server.base))
        .send_json(body)
        .expect("an answer");
    (
        r.status().as_u16(),
        r.body_mut().read_to_string().expect("body"),
    )
}

/// Waits until `check` holds, for at most a second.
fn within_a_second(what: &str, check: impl Fn() -> bool) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(1) {
        if check() {
            return;
        }
        thread::sleep(Duration::from_millis(20));
    }
    panic!("{what}: not seen through the other server within a second");
}

#[test]
fn one_key_sent_to_both_servers_stores_one_comment_and_both_answer_it() {
    let (url, a, b) = two_servers(&["--comments-per-minute", "1000"]);
    let slug = newest_slug(&a);
    let path = format!("/api/articles/{slug}/comments");
    let (a, b) = (Arc::new(a), Arc::new(b));
    for k in 0..20 {
        let key = format!("both-servers-key-{k:04}");
        let go = Arc::new(Barrier::new(2));
        let answers: Vec<_> = [Arc::clone(&a), Arc::clone(&b)]
            .into_iter()
            .map(|server| {
                let (go, path, body) = (go.clone(), path.clone(), comment(&key, "Said once."));
                thread::spawn(move || {
                    go.wait();
                    post(&server, &path, &body)
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|t| t.join().expect("client"))
            .collect();
        assert_eq!(answers[0].0, 201, "{}", answers[0].1);
        assert_eq!(
            answers[0], answers[1],
            "both servers answer the same comment"
        );
    }
    let stored = support::postgres::query(
        &url,
        "SELECT COUNT(*), COUNT(DISTINCT idempotency_key) FROM comments
         WHERE idempotency_key LIKE 'both-servers-key-%'",
    );
    assert_eq!(stored, [["20", "20"]], "one row per key");
}

#[test]
fn the_comment_allowance_is_one_across_servers() {
    let (_url, a, b) = two_servers(&["--comments-per-minute", "3"]);
    let path = format!("/api/articles/{}/comments", newest_slug(&a));
    let statuses: Vec<u16> = (0..6)
        .map(|n| {
            let server = if n % 2 == 0 { &a } else { &b };
            post(
                server,
                &path,
                &comment(&format!("allowance-key-{n:04}"), "Hello"),
            )
            .0
        })
        .collect();
    assert_eq!(statuses, [201, 201, 201, 429, 429, 429]);
    // A refusal says when to come back, from either server.
    let r = agent()
        .post(format!("{}{path}", b.base))
        .send_json(comment("allowance-key-late", "Hello"))
        .expect("an answer");
    assert_eq!(r.status(), 429);
    let wait: u64 = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=20).contains(&wait), "{wait}");
}

#[test]
fn a_change_through_one_server_shows_through_the_other_within_a_second() {
    let (url, a, b) = two_servers(&["--comments-per-minute", "1000", "--reports-to-hide", "1"]);
    let slug = newest_slug(&a);
    let article = format!("/api/articles/{slug}");
    let count =
        |server: &Server| server.get_json(&article).expect("article")["comment_count"].as_u64();
    let before = count(&b).expect("a count");

    // A comment through A: B's kept copy of the article counts it.
    let (status, body) = post(
        &a,
        &format!("{article}/comments"),
        &comment("seen-key-0000001", "Hi"),
    );
    assert_eq!(status, 201, "{body}");
    let id = serde_json::from_str::<serde_json::Value>(&body).expect("json")["id"]
        .as_i64()
        .expect("id");
    within_a_second("a comment", || count(&b) == Some(before + 1));

    // A report through A hides it (one report hides, here).
    let reported = agent()
        .post(format!("{}{article}/comments/{id}/report", a.base))
        .send_empty()
        .expect("report");
    assert_eq!(reported.status(), 204);
    within_a_second("a report", || count(&b) == Some(before));

    // Moderation from the command line, on the same database.
    let out = cli(&["--db", &url, "comments", "approve", &id.to_string()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("approved comment #{id}")));
    within_a_second("an approval", || count(&b) == Some(before + 1));
    let out = cli(&["--db", &url, "comments", "list", "--status", "visible"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("#{id} [visible]")));
    let out = cli(&["--db", &url, "comments", "remove", &id.to_string()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    within_a_second("a removal", || count(&b) == Some(before));

    // An import from the command line: a changed headline, and a new editors' pick in the
    // section of another article, whose modules B keeps for a minute and whose rankings B
    // keeps for a minute too.
    let mut changed = b.get_json(&article).expect("article");
    let section = changed["section"]["slug"]
        .as_str()
        .expect("section")
        .to_owned();
    let neighbour = b
        .get_json(&format!("/api/articles?section={section}&limit=5"))
        .expect("section list")["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["slug"].as_str())
        .find(|s| *s != slug)
        .expect("another article in the section")
        .to_owned();
    let modules_of = |server: &Server, query: &str| -> Vec<(String, Vec<String>)> {
        server
            .get_json(&format!("/api/modules{query}"))
            .expect("modules")
            .as_array()
            .expect("modules")
            .iter()
            .map(|m| {
                let items = m["items"].as_array().expect("items");
                (
                    m["id"].as_str().expect("id").to_owned(),
                    items
                        .iter()
                        .map(|i| i["slug"].as_str().expect("slug").to_owned())
                        .collect(),
                )
            })
            .collect()
    };
    let has = |modules: &[(String, Vec<String>)], module: &str, slug: &str| {
        modules
            .iter()
            .any(|(id, slugs)| id == module && slugs.iter().any(|s| s == slug))
    };
    let neighbour_modules = format!("?article={neighbour}");
    assert!(!has(
        &modules_of(&b, &neighbour_modules),
        "latest-stories",
        "imported-elsewhere"
    ));
    assert!(!has(
        &modules_of(&b, ""),
        "must-reads",
        "imported-elsewhere"
    ));

    changed["headline"] = "Changed through the other door".into();
    let mut new = changed.clone();
    new["slug"] = "imported-elsewhere".into();
    new["headline"] = "Imported elsewhere".into();
    new["editors_pick"] = true.into();
    new["published_at"] = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .expect("time")
        .into();
    for counter in ["views", "comment_count"] {
        changed.as_object_mut().expect("object").remove(counter);
        new.as_object_mut().expect("object").remove(counter);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("articles.json");
    std::fs::write(&file, serde_json::json!([changed, new]).to_string()).expect("write");
    let out = cli(&["--db", &url, "import", file.to_str().expect("path")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("1 imported, 1 updated"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    within_a_second("an imported headline", || {
        b.get_json(&article).expect("article")["headline"] == "Changed through the other door"
    });
    within_a_second("an imported article", || {
        b.get_json("/api/articles/imported-elsewhere").is_ok()
    });
    within_a_second("an article's modules after an import", || {
        has(
            &modules_of(&b, &neighbour_modules),
            "latest-stories",
            "imported-elsewhere",
        )
    });
    within_a_second("the rankings after an import", || {
        has(&modules_of(&b, ""), "must-reads", "imported-elsewhere")
    });
}

#[test]
fn a_database_that_is_not_there_stops_the_start_naming_it() {
    let cluster = shared();
    for url in [
        cluster.url("no_such_database"),
        format!(
            "postgres://postgres@127.0.0.1:{}/broadsheet",
            support::server::free_port()
        ),
    ] {
        let out = cli(&["--db", &url, "--addr", "127.0.0.1:0", "--dist", "no-dist"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{url}: {stderr}");
        assert!(
            stderr.contains(&format!("cannot open the database {url}")),
            "{stderr}"
        );
    }
    let out = cli(&[
        "--db",
        &cluster.url("no_such_database"),
        "--addr",
        "127.0.0.1:0",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("\"no_such_database\" does not exist"),
        "{stderr}"
    );
}
