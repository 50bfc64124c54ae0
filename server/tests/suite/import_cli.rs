//! `broadsheet-server import FILE-OR-URL` as an operator runs it: a feed fetched over HTTP from
//! loopback with `--section` and `--source`, the report on stdout, and refusals on stderr with
//! nothing written.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_broadsheet-server");

const FEED: &str = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Loopback</title>\
    <link>https://loopback.example/</link><description>d</description>\
    <item><guid>1</guid><title>One</title><link>https://loopback.example/one-story</link>\
    <pubDate>Wed, 02 Dec 2026 10:00:00 GMT</pubDate><description>&lt;p&gt;First.&lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;</description></item>\
    <item><guid>2</guid><title>Two</title><pubDate>Wed, 02 Dec 2026 11:00:00 GMT</pubDate>\
    <description>Second.</description></item></channel></rss>";

/// Answers every request on loopback: `/feed.xml` with the feed, anything else with a page.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut line = String::new();
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            // The rest of the request head.
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let (kind, body) = if line.contains("/feed.xml") {
                ("application/rss+xml", FEED)
            } else {
                (
                    "text/html",
                    "<!DOCTYPE html><html><body>Sign in</body></html>",
                )
            };
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}")
}

fn import(db: &std::path::Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--db")
        .arg(db)
        .arg("import")
        .args(args)
        .env("RUST_LOG", "off")
        .output()
        .expect("runs")
}

fn count(db: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))
        .expect("count")
}

#[test]
fn a_feed_is_imported_from_a_url_with_its_section_and_source() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("cli.db");
    let base = serve();
    let url = format!("{base}/feed.xml");
    let out = import(&db, &[&url, "--section", "local", "--source", "Wire"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "2 imported, 0 updated, 0 skipped (RSS)",
            "  left out of the HTML: 1 × <script>"
        ]
    );
    let conn = rusqlite::Connection::open(&db).expect("open");
    let (section, doc): (String, String) = conn
        .query_row(
            "SELECT s.slug, a.doc FROM articles a JOIN sections s ON s.id = a.section_id \
             WHERE a.slug LIKE 'one-story-%'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the first item");
    assert_eq!(section, "local");
    assert!(doc.contains("\"source\":\"Wire\""), "{doc}");
    assert!(!doc.contains("script"), "{doc}");

    // Again: updated, not duplicated.
    let out = import(&db, &[&url, "--format", "rss"]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("0 imported, 2 updated, 0 skipped"));
    assert_eq!(count(&db), 2);

    // Refusals say why on stderr and write nothing.
    let page = format!("{base}/login");
    for (args, says) in [
        (
            vec![url.as_str(), "--format", "atom"],
            "--format Atom was asked for, but the document is RSS",
        ),
        (vec![page.as_str()], "HTML page"),
        (
            vec!["ftp://example.org/feed"],
            "cannot read ftp://example.org/feed",
        ),
        (
            vec![url.as_str(), "--section", "Not A Slug"],
            "a section is a slug",
        ),
    ] {
        let out = import(&db, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert_eq!(count(&db), 2, "{args:?}");
    }
}

#[test]
fn serve_follows_the_feeds_of_a_follow_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = serve();
    let follow = dir.path().join("feeds.toml");
    std::fs::write(
        &follow,
        format!("[[feed]]\nurl = \"{base}/feed.xml\"\nsection = \"local\"\ninterval = 1\n"),
    )
    .expect("write");
    let mut child = Command::new(BIN)
        .args(["--addr", "127.0.0.1:0", "--no-demo", "--dist"])
        .arg(dir.path().join("no-dist"))
        .arg("--db")
        .arg(dir.path().join("follow.db"))
        .arg("serve")
        .arg("--follow")
        .arg(&follow)
        .env("RUST_LOG", "broadsheet_server=info")
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("starts");
    let lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    // Should the polls never come, the server is stopped and the test fails rather than hangs.
    let pid = child.id().to_string();
    let (done, stopped) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        if stopped
            .recv_timeout(std::time::Duration::from_secs(30))
            .is_err()
        {
            let _ = Command::new("kill").args(["-KILL", &pid]).status();
        }
    });
    let mut polls = Vec::new();
    for line in lines {
        let line = line.expect("utf-8");
        if let Some((_, rest)) = line.split_once("follow: follow: ") {
            polls.push(rest.to_owned());
            if polls.len() == 2 {
                break;
            }
        }
    }
    let _ = done.send(());
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let _ = child.wait();
    assert_eq!(polls.len(), 2, "two polls were logged: {polls:?}");
    // One line per poll: the first imports, the next (a second later) finds the same items.
    assert!(
        polls[0].starts_with("2 imported, 0 updated, 0 skipped (RSS)"),
        "{polls:?}"
    );
    assert!(
        polls[1].starts_with("0 imported, 2 updated, 0 skipped (RSS)"),
        "{polls:?}"
    );
    assert_eq!(count(&dir.path().join("follow.db")), 2);
}
