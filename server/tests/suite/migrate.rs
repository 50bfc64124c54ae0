//! Moving from SQLite to PostgreSQL: `broadsheet-server migrate --from FILE --to URL` copies
//! articles, hourly views, comments with their states, reports and idempotency keys, checks
//! the counts, and a second run changes nothing. A server on the copy answers as the one on the
//! file did, and a retried post finds its comment there.

use crate::support;

use support::postgres::{query, shared};
use support::server::{Server, agent, cli};

/// Every table's rows, in a stable order, as text: what "changes nothing" compares.
fn fingerprint(url: &str) -> Vec<Vec<String>> {
    query(
        url,
        "SELECT 'a', id::text, slug, views::text, comment_count::text, md5(doc) FROM articles
         UNION ALL SELECT 'h', article_id::text, hour::text, views::text, '', '' FROM article_view_hours
         UNION ALL SELECT 'c', id::text, idempotency_key, status, approved::text, md5(body) FROM comments
         UNION ALL SELECT 'r', comment_id::text, reporter, reported_at::text, '', '' FROM comment_reports
         UNION ALL SELECT 't', article_id::text, tag, '', '', '' FROM article_tags
         ORDER BY 1, 2, 3, 4",
    )
}

fn post(server: &Server, slug: &str, key: &str, body: &str) -> serde_json::Value {
    let mut r = agent()
        .post(format!("{}/api/articles/{slug}/comments", server.base))
        .send_json(serde_json::json!({"nickname": "Mover", "body": body, "idempotency_key": key}))
        .expect("an answer");
    assert_eq!(r.status(), 201);
    r.body_mut().read_json().expect("json")
}

#[test]
fn a_sqlite_database_moves_to_postgres_whole_and_a_second_run_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("old.db");
    let file_arg = file.to_str().expect("path");
    let args = ["--comments-per-minute", "1000", "--reports-to-hide", "1"];

    // A SQLite database with a history: the demo and its views, comments in every state,
    // a report.
    let old = Server::start(file_arg, &args);
    let slug = old.get_json("/api/articles?limit=1").expect("list")["items"][0]["slug"]
        .as_str()
        .expect("slug")
        .to_owned();
    let kept = post(&old, &slug, "moving-key-kept-0001", "Kept");
    let hidden = post(&old, &slug, "moving-key-hidden-01", "Reported");
    let removed = post(&old, &slug, "moving-key-removed-1", "Removed");
    let report = agent()
        .post(format!(
            "{}/api/articles/{slug}/comments/{}/report",
            old.base, hidden["id"]
        ))
        .send_empty()
        .expect("report");
    assert_eq!(report.status(), 204);
    let out = cli(&[
        "--db",
        file_arg,
        "comments",
        "remove",
        &removed["id"].to_string(),
    ]);
    assert!(out.status.success());
    let before_article = old
        .get_json(&format!("/api/articles/{slug}"))
        .expect("article");
    let before_list = old.get_json("/api/articles?limit=50").expect("list");
    let before_comments = old
        .get_json(&format!("/api/articles/{slug}/comments"))
        .expect("comments");
    drop(old);

    let url = shared().database(false);
    let out = cli(&["migrate", "--from", file_arg, "--to", &url]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("counts match"), "{stdout}");
    assert!(
        stdout.contains("comments: 3 rows, 3 written now"),
        "{stdout}"
    );
    assert!(
        stdout.contains("comment_reports: 1 rows, 1 written now"),
        "{stdout}"
    );
    let copied = fingerprint(&url);
    assert!(copied.iter().any(|r| r[0] == "h"), "hourly views copied");
    let states: Vec<String> = copied
        .iter()
        .filter(|r| r[0] == "c")
        .map(|r| format!("{} {}", r[2], r[3]))
        .collect();
    assert_eq!(
        states,
        [
            "moving-key-kept-0001 visible",
            "moving-key-hidden-01 hidden",
            "moving-key-removed-1 removed"
        ]
    );

    // Again: nothing written, nothing changed.
    let out = cli(&["migrate", "--from", file_arg, "--to", &url]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("0 rows written now"), "{stdout}");
    assert_eq!(fingerprint(&url), copied);

    // A server on the copy answers as the old one did (ids and cursors included), and a
    // retried post finds its comment.
    let new = Server::start(&url, &args);
    assert_eq!(
        new.get_json(&format!("/api/articles/{slug}"))
            .expect("article"),
        before_article
    );
    assert_eq!(
        new.get_json("/api/articles?limit=50").expect("list"),
        before_list
    );
    assert_eq!(
        new.get_json(&format!("/api/articles/{slug}/comments"))
            .expect("comments"),
        before_comments
    );
    assert_eq!(post(&new, &slug, "moving-key-kept-0001", "Kept"), kept);
    let fresh = post(&new, &slug, "moving-key-fresh-001", "New here");
    assert!(
        fresh["id"].as_i64() > removed["id"].as_i64(),
        "new ids follow the copied ones"
    );

    // Into a database that holds other data, nothing is written.
    let other = shared().database(false);
    drop(Server::start(&other, &[]));
    let before = fingerprint(&other);
    let out = cli(&["migrate", "--from", file_arg, "--to", &other]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("nothing was written"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(fingerprint(&other), before);
}
