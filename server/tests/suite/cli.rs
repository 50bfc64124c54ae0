//! The `broadsheet-server` binary itself: import from a file, and serve until Ctrl-C.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_broadsheet-server");

fn article(slug: &str, published_at: &str) -> serde_json::Value {
    serde_json::json!({
        "slug": slug,
        "section": {"slug": "world", "name": "World"},
        "headline": "A headline",
        "published_at": published_at,
        "body": [{"type": "paragraph", "text": "Text."}]
    })
}

fn import(db: &std::path::Path, file: &std::path::Path) -> std::process::Output {
    Command::new(BIN)
        .arg("--db")
        .arg(db)
        .arg("import")
        .arg(file)
        .env("RUST_LOG", "off")
        .output()
        .expect("runs")
}

#[test]
fn import_reports_problems_by_path_and_writes_all_or_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("cli.db");
    let file = dir.path().join("articles.json");

    let good = serde_json::json!([article("first-story", "2026-11-01T09:00:00Z")]);
    std::fs::write(&file, good.to_string()).expect("write");
    let out = import(&db, &file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 imported, 0 updated"));

    let bad = serde_json::json!([
        article("second-story", "2026-11-02T09:00:00Z"),
        article("third-story", "not a time"),
    ]);
    std::fs::write(&file, bad.to_string()).expect("write");
    let out = import(&db, &file);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("[1].published_at"), "{stderr}");
    assert!(stderr.contains("nothing was imported"), "{stderr}");

    let conn = rusqlite::Connection::open(&db).expect("open");
    let slugs: Vec<String> = conn
        .prepare("SELECT slug FROM articles ORDER BY slug")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(
        slugs,
        ["first-story"],
        "the valid article of a bad file must not be written"
    );
}

#[test]
fn serve_answers_and_stops_cleanly_on_ctrl_c() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(BIN)
        .args(["--addr", "127.0.0.1:0", "--dist"])
        .arg(dir.path().join("no-dist"))
        .arg("--db")
        .arg(dir.path().join("serve.db"))
        .env("RUST_LOG", "broadsheet_server=info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let addr = loop {
        let line = lines.next().expect("a log line").expect("utf-8");
        if let Some(rest) = line.split("Broadsheet is at http://").nth(1) {
            break rest.split('/').next().expect("address").to_owned();
        }
    };

    let mut stream = TcpStream::connect(&addr).expect("connects");
    write!(stream, "GET /api/sections HTTP/1.0\r\nHost: {addr}\r\n\r\n").expect("request");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("response");
    assert!(response.starts_with("HTTP/1.0 200"), "{response}");
    assert!(
        response.contains("\"World\""),
        "the demo content is seeded: {response}"
    );

    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("kill")
            .success()
    );
    let status = child.wait().expect("exits");
    assert!(
        status.success(),
        "Ctrl-C must end the server cleanly: {status}"
    );
    assert!(lines.map_while(Result::ok).any(|l| l.contains("stopped")));
}

/// A site's language needs its interface catalogue: `--lang fr` is refused before anything
/// starts, naming the catalogues there are; `--lang ko-KR` takes `ko.json`.
#[test]
fn a_language_without_a_catalogue_is_refused_at_start() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(BIN)
        .arg("--db")
        .arg(dir.path().join("lang.db"))
        .args(["--lang", "fr", "--addr", "127.0.0.1:0"])
        .env("RUST_LOG", "off")
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no interface catalogue for \"fr\""),
        "{stderr}"
    );
    assert!(stderr.contains("ar, en, ko, en-XA"), "{stderr}");
    assert!(!dir.path().join("lang.db").exists(), "nothing was started");
}
