//! A real cache in front: Varnish (Debian's package, with varnish-modules' xkey) running our VCL
//! (`deploy/varnish/`) in front of the real server process, as a newsroom would run them.
//!
//! - Repeated reads are answered by Varnish: the origin sees one request.
//! - A comment posted through the cache is in the next read (the purge worked), and so is an
//!   article imported again by the CLI.
//! - With the origin down, readers keep getting cached pages, a post gets a clear 503 with
//!   `Retry-After`, and once the origin is back the retried post is stored exactly once.
//! - Nothing with a client's data, no 429 and no error reaches another client from the cache.
//! - A forged Host, X-Forwarded-Host or Forwarded never reaches a page; cache-busting query
//!   strings do not multiply the origin's work.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_broadsheet-server");
const VARNISHD: &str = "/usr/sbin/varnishd";

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .into()
}

/// One answer, read whole.
struct Got {
    status: u16,
    headers: ureq::http::HeaderMap,
    body: String,
}

impl Got {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("JSON")
    }
}

fn get(url: &str, headers: &[(&str, &str)]) -> Got {
    let mut req = agent().get(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut res = req.call().expect("an answer");
    Got {
        status: res.status().as_u16(),
        headers: res.headers().clone(),
        body: res.body_mut().read_to_string().unwrap_or_default(),
    }
}

fn post(url: &str, headers: &[(&str, &str)], body: &serde_json::Value) -> Got {
    let mut req = agent().post(url).header("content-type", "application/json");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    match req.send(body.to_string()) {
        Ok(mut res) => Got {
            status: res.status().as_u16(),
            headers: res.headers().clone(),
            body: res.body_mut().read_to_string().unwrap_or_default(),
        },
        Err(e) => panic!("post failed: {e}"),
    }
}

/// Polls `check` until it holds or `within` has passed; whether it held.
fn within(within: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + within;
    loop {
        if check() {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        thread::sleep(Duration::from_millis(25));
    }
}

/// The origin and the cache, stopped when dropped.
struct Stack {
    dir: tempfile::TempDir,
    origin: Option<Child>,
    varnish: Child,
    origin_port: u16,
    port: u16,
    /// The origin's extra arguments (kept for restarts).
    extra: Vec<String>,
}

impl Drop for Stack {
    fn drop(&mut self) {
        if let Some(mut origin) = self.origin.take() {
            let _ = origin.kill();
            let _ = origin.wait();
        }
        let _ = self.varnish.kill();
        let _ = self.varnish.wait();
    }
}

impl Stack {
    fn start(extra: &[&str]) -> Stack {
        assert!(
            Path::new(VARNISHD).exists(),
            "Varnish is missing: scripts/setup.sh installs Debian's varnish and varnish-modules"
        );
        let dir = tempfile::tempdir().expect("temp dir");
        // Varnish's workers run as its own user: they must reach the compiled VCL in here.
        set_mode(dir.path(), 0o755);
        let dist = dir.path().join("dist");
        std::fs::create_dir_all(&dist).expect("dist");
        std::fs::write(
            dist.join("index.html"),
            "<!doctype html><title>Broadsheet</title><body><noscript>Scripts are off.</noscript></body></html>",
        )
        .expect("index");
        let origin_port = support::server::free_port();
        let port = support::server::free_port();
        let vcl = dir.path().join("site.vcl");
        let rules =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../deploy/varnish/broadsheet.vcl");
        let rules = rules.canonicalize().expect("deploy/varnish/broadsheet.vcl");
        std::fs::write(
            &vcl,
            format!(
                "vcl 4.1;\n\
                 backend default {{ .host = \"127.0.0.1\"; .port = \"{origin_port}\"; \
                 .connect_timeout = 1s; .first_byte_timeout = 5s; \
                 .probe = {{ .url = \"/api/sections\"; .interval = 250ms; .timeout = 1s; \
                 .window = 3; .threshold = 2; .initial = 2; }} }}\n\
                 acl purgers {{ \"127.0.0.1\"; }}\n\
                 sub broadsheet_host {{ set req.http.host = \"127.0.0.1:{port}\"; }}\n\
                 include \"{}\";\n",
                rules.display()
            ),
        )
        .expect("vcl");
        let extra: Vec<String> = extra.iter().map(|s| (*s).to_owned()).collect();
        let mut stack = Stack {
            origin: None,
            varnish: Command::new(VARNISHD)
                .arg("-F")
                .arg("-n")
                .arg(dir.path().join("varnish"))
                .args(["-a", &format!("127.0.0.1:{port}")])
                .arg("-f")
                .arg(&vcl)
                .args(["-s", "malloc,64m", "-p", "http_gzip_support=off"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("varnishd starts"),
            dir,
            origin_port,
            port,
            extra,
        };
        stack.start_origin();
        let base = stack.base();
        assert!(
            within(Duration::from_secs(20), || agent()
                .get(format!("{base}/api/sections"))
                .call()
                .is_ok_and(|r| r.status() == 200)),
            "Varnish did not come up in front of the origin"
        );
        stack
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("site.db")
    }

    fn start_origin(&mut self) {
        let child = Command::new(BIN)
            .args(["--addr", &format!("127.0.0.1:{}", self.origin_port)])
            .arg("--db")
            .arg(self.db())
            .arg("--dist")
            .arg(self.dir.path().join("dist"))
            .args(["--public-url", &self.base()])
            .args(["--trusted-proxy", "127.0.0.1"])
            .args(["--purge", &format!("{}/", self.base())])
            .args(&self.extra)
            .env("RUST_LOG", "broadsheet_server=warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server starts");
        self.origin = Some(child);
        let origin = format!("http://127.0.0.1:{}", self.origin_port);
        assert!(
            within(Duration::from_secs(20), || agent()
                .get(format!("{origin}/api/sections"))
                .call()
                .is_ok_and(|r| r.status() == 200)),
            "the origin did not come up"
        );
    }

    fn stop_origin(&mut self) {
        if let Some(mut origin) = self.origin.take() {
            origin.kill().expect("kill");
            origin.wait().expect("wait");
        }
    }

    /// The site, as readers reach it: through the cache.
    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Requests Varnish has sent to the origin so far (health probes not counted).
    fn origin_requests(&self) -> u64 {
        let out = Command::new("varnishstat")
            .arg("-n")
            .arg(self.dir.path().join("varnish"))
            .args(["-1", "-f", "MAIN.backend_req"])
            .output()
            .expect("varnishstat");
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .nth(1)
            .and_then(|n| n.parse().ok())
            .expect("MAIN.backend_req")
    }

    /// Runs `broadsheet-server import FILE` on the site's database, purging the cache if asked.
    fn import(&self, file: &Path, purge: bool) {
        let mut command = Command::new(BIN);
        command.arg("--db").arg(self.db());
        if purge {
            command.args(["--purge", &format!("{}/", self.base())]);
        }
        let out = command
            .arg("import")
            .arg(file)
            .output()
            .expect("import runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn first_slug(&self) -> String {
        get(&format!("{}/api/articles?limit=1", self.base()), &[]).json()["items"][0]["slug"]
            .as_str()
            .expect("a slug")
            .to_owned()
    }
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

const BR: (&str, &str) = ("accept-encoding", "gzip, deflate, br");

#[test]
fn repeated_reads_are_answered_by_the_cache() {
    let stack = Stack::start(&[]);
    let slug = stack.first_slug();
    for path in [format!("/article/{slug}"), format!("/api/articles/{slug}")] {
        let url = format!("{}{path}", stack.base());
        let before = stack.origin_requests();
        let first = get(&url, &[BR]);
        assert_eq!(first.status, 200, "{path}");
        let mut last = first;
        for _ in 0..20 {
            last = get(&url, &[BR]);
            assert_eq!(last.status, 200, "{path}");
        }
        assert_eq!(
            stack.origin_requests() - before,
            1,
            "{path}: the origin saw one request for 21 reads"
        );
        assert_eq!(last.header("x-cache"), "HIT", "{path}");
        assert!(last.header("age").parse::<u64>().is_ok(), "{path}");
        // The keys are the caches' business, not the reader's.
        assert_eq!(last.header("surrogate-key"), "", "{path}");
        assert!(last.header("etag").ends_with("-br\""), "{path}");
        // A browser revalidating gets a 304 from the cache, without a body.
        let etag = last.header("etag").to_owned();
        let again = get(&url, &[BR, ("if-none-match", &etag)]);
        assert_eq!(again.status, 304, "{path}");
        assert!(again.body.is_empty(), "{path}");
    }
}

#[test]
fn changes_show_within_a_second_through_the_cache() {
    let stack = Stack::start(&[]);
    let slug = stack.first_slug();
    let comments = format!("{}/api/articles/{slug}/comments", stack.base());
    let article = format!("{}/api/articles/{slug}", stack.base());
    let page = format!("{}/article/{slug}", stack.base());
    let count = get(&article, &[]).json()["comment_count"]
        .as_u64()
        .expect("count");
    assert_eq!(get(&comments, &[]).json()["total"], count);
    // Twice: the second read is the cache's.
    assert_eq!(get(&comments, &[]).header("x-cache"), "HIT");
    assert_eq!(get(&article, &[]).header("x-cache"), "HIT");

    let posted = post(
        &comments,
        &[],
        &serde_json::json!({
            "nickname": "Through the cache",
            "body": "Posted through Varnish.",
            "idempotency_key": "varnish-purge-0000001",
        }),
    );
    assert_eq!(posted.status, 201, "{}", posted.body);
    assert_eq!(posted.header("cache-control"), "no-store");
    let shown = within(Duration::from_secs(1), || {
        get(&comments, &[]).body.contains("Posted through Varnish.")
            && get(&article, &[]).json()["comment_count"].as_u64() == Some(count + 1)
    });
    assert!(shown, "the comment and its count show within 1 s");

    // The CLI imports the article again with a new headline, and purges the cache.
    let mut changed = get(&article, &[]).json();
    changed["headline"] = "Harbours agree, through the cache".into();
    let file = stack.dir.path().join("changed.json");
    std::fs::write(&file, serde_json::json!([changed]).to_string()).expect("write");
    assert!(get(&page, &[]).status == 200 && get(&page, &[]).header("x-cache") == "HIT");
    stack.import(&file, true);
    let shown = within(Duration::from_secs(1), || {
        get(&article, &[]).json()["headline"] == "Harbours agree, through the cache"
            && get(&page, &[])
                .body
                .contains("Harbours agree, through the cache")
    });
    assert!(shown, "the new headline shows within 1 s of the import");
}

#[test]
fn readers_get_cached_pages_while_the_origin_is_down() {
    // Fresh for a second only, so the copies read below are stale by the time the origin stops.
    let mut stack = Stack::start(&["--s-maxage", "1", "--comments-s-maxage", "1"]);
    let slug = stack.first_slug();
    let page = format!("{}/article/{slug}", stack.base());
    let comments = format!("{}/api/articles/{slug}/comments", stack.base());
    let warm = get(&page, &[BR]);
    assert_eq!(warm.status, 200);
    assert_eq!(get(&comments, &[]).status, 200);

    stack.stop_origin();
    thread::sleep(Duration::from_millis(2500));
    let stale = get(&page, &[BR]);
    assert_eq!(stale.status, 200, "a cached page while the origin is down");
    assert!(stale.header("age").parse::<u64>().expect("age") >= 2);
    assert_eq!(get(&comments, &[]).status, 200);

    let comment = serde_json::json!({
        "nickname": "Patient reader",
        "body": "Sent while the site was down.",
        "idempotency_key": "varnish-origin-down-01",
    });
    let refused = post(&comments, &[], &comment);
    assert_eq!(refused.status, 503);
    assert_eq!(refused.header("retry-after"), "5");
    assert_eq!(refused.json()["error"]["code"], "unavailable");

    stack.start_origin();
    // The reader tries again until the cache's probe sees the origin back (about a second).
    let mut stored = post(&comments, &[], &comment);
    let back = within(Duration::from_secs(5), || {
        stored = post(&comments, &[], &comment);
        stored.status != 503
    });
    assert!(back, "the post goes through once the origin is back");
    assert!(
        [200, 201].contains(&stored.status),
        "{} {}",
        stored.status,
        stored.body
    );
    let again = post(&comments, &[], &comment);
    assert_eq!(
        again.status, 201,
        "a retry with the same key is the first answer"
    );
    assert_eq!(again.json()["id"], stored.json()["id"]);
    let found = within(Duration::from_secs(2), || {
        get(&comments, &[]).json()["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|c| c["body"] == "Sent while the site was down.")
            .count()
            == 1
    });
    assert!(found, "stored exactly once");
}

#[test]
fn nothing_of_one_client_reaches_another() {
    let stack = Stack::start(&["--comments-per-minute", "2"]);
    let slug = stack.first_slug();
    let comments = format!("{}/api/articles/{slug}/comments", stack.base());
    // Two readers, told apart by the address Varnish forwards (the test client is the trusted
    // proxy's own host, so the address it claims is believed, as a reader's would be).
    let a = ("x-forwarded-for", "198.51.100.1");
    let b = ("x-forwarded-for", "198.51.100.2");
    let mut limited = None;
    for i in 0..4 {
        let got = post(
            &comments,
            &[a],
            &serde_json::json!({
                "nickname": "Quick",
                "body": format!("Comment {i}"),
                "idempotency_key": format!("varnish-limit-key-{i:04}"),
            }),
        );
        if got.status == 429 {
            limited = Some(got);
            break;
        }
        assert_eq!(got.status, 201);
    }
    let limited = limited.expect("the third post is refused");
    assert_eq!(limited.header("cache-control"), "no-store");
    // Reader B is not limited by A's posts, and nobody's read is a 429.
    let got = post(
        &comments,
        &[b],
        &serde_json::json!({
            "nickname": "Other",
            "body": "My first.",
            "idempotency_key": "varnish-limit-other-01",
        }),
    );
    assert_eq!(got.status, 201, "{}", got.body);
    for _ in 0..3 {
        assert_eq!(get(&comments, &[b]).status, 200);
    }

    // An error is never kept: an article that is missing, then imported, is there at once.
    let missing = format!("{}/api/articles/imported-after-a-404", stack.base());
    let first = get(&missing, &[]);
    assert_eq!(first.status, 404);
    assert_eq!(first.header("cache-control"), "no-store");
    let mut article = get(&format!("{}/api/articles/{slug}", stack.base()), &[]).json();
    article["slug"] = "imported-after-a-404".into();
    let file = stack.dir.path().join("new.json");
    std::fs::write(&file, serde_json::json!([article]).to_string()).expect("write");
    stack.import(&file, false);
    assert_eq!(get(&missing, &[]).status, 200);
}

#[test]
fn forged_hosts_and_busting_queries_change_nothing() {
    let stack = Stack::start(&[]);
    let slug = stack.first_slug();
    let page = format!("{}/article/{slug}", stack.base());
    for forged in [
        [
            ("host", "evil.example"),
            ("x-forwarded-host", "evil.example"),
        ],
        [("forwarded", "host=evil.example;proto=https"), BR],
        [
            ("x-forwarded-host", "evil.example:443"),
            ("host", "evil.example:80"),
        ],
    ] {
        let got = get(&page, &forged);
        assert_eq!(got.status, 200);
        assert!(!got.body.contains("evil.example"), "{forged:?}");
    }
    let clean = get(&page, &[]);
    assert!(!clean.body.contains("evil.example"));
    assert!(
        clean.body.contains(&format!("href=\"{page}\"")),
        "the canonical link"
    );

    // Warm, then a hundred different query strings: no more work for the origin.
    let api = format!("{}/api/articles/{slug}", stack.base());
    get(&api, &[]);
    get(
        &format!("{}/api/articles?section=science&limit=5", stack.base()),
        &[],
    );
    // Feeds, sitemaps and robots.txt look like files but read no query either.
    let syndication = [
        "/feed.xml",
        "/section/science/atom.xml",
        "/sitemap.xml",
        "/robots.txt",
    ]
    .map(|path| format!("{}{path}", stack.base()));
    for url in &syndication {
        get(url, &[]);
    }
    // A tag's page is paged by `?cursor=`: kept, and nothing else.
    let tag = format!("{}/tag/climate?cursor=9999999999.1", stack.base());
    get(&tag, &[]);
    let search = format!("{}/api/search?q=tide", stack.base());
    let results = format!("{}/search?q=tide", stack.base());
    get(&search, &[]);
    get(&results, &[]);
    let before = stack.origin_requests();
    for i in 0..100 {
        assert_eq!(
            get(&format!("{page}?utm_source=x{i}&bust={i}"), &[]).status,
            200
        );
        for url in &syndication {
            assert_eq!(get(&format!("{url}?bust={i}"), &[]).status, 200, "{url}");
        }
        assert_eq!(get(&format!("{tag}&utm_source=x{i}"), &[]).status, 200);
        // Search keeps `q` (and `cursor`) and drops the rest.
        assert_eq!(get(&format!("{search}&bust={i}"), &[]).status, 200);
        assert_eq!(get(&format!("{results}&utm={i}"), &[]).status, 200);
        assert_eq!(get(&format!("{api}?cb={i}"), &[]).status, 200);
        let list = format!(
            "{}/api/articles?bust={i}&limit=5&section=science&utm={i}",
            stack.base()
        );
        assert_eq!(get(&list, &[]).status, 200);
    }
    assert_eq!(stack.origin_requests() - before, 0);
    // Another cursor is another page.
    let older = format!("{}/tag/climate?bust=1&cursor=1.1", stack.base());
    assert_eq!(get(&older, &[]).status, 200);
    assert_eq!(stack.origin_requests() - before, 1);
}
