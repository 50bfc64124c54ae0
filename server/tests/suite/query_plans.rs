//! Every statement a page or an API read runs goes through an index: none reads a whole table
//! whose size grows with the archive (articles, their tags, view counters, comments, reports).
//! The statements are not copied here: each store operation runs on a real SQLite file with
//! tracing on, and SQLite's own `EXPLAIN QUERY PLAN` judges every statement it ran. A missing
//! index fails this test.
//!
//! On PostgreSQL the same operations run with sequential scans priced out
//! (`enable_seqscan = off`) and every statement's plan logged (`auto_explain`, nested
//! statements and triggers included): a sequential scan of a growing table there means no index
//! could serve the statement.

use crate::support;

use std::sync::Mutex;

use broadsheet_server::store::sqlite::SqliteStore;
use broadsheet_server::store::{
    Cursor, FeedOf, HourlyViews, ListOf, NewPost, Report, ScreenQuery, Store,
};
use broadsheet_server::{DEMO_ARTICLES, import};

static RAN: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// The statements of one test at a time.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn record(sql: &str) {
    RAN.lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(sql.to_owned());
}

/// Tables that grow with the archive and its readers.
const GROWING: [&str; 7] = [
    "headline_terms",
    "articles",
    "article_tags",
    "article_view_hours",
    "comments",
    "comment_reports",
    "sections",
];

/// What the statements run since the last call do that grows with the archive: every `SCAN`
/// of a growing table (a `SEARCH` uses an index).
fn scans(conn: &rusqlite::Connection) -> Vec<String> {
    let ran: Vec<String> = std::mem::take(&mut *RAN.lock().unwrap_or_else(|e| e.into_inner()));
    let mut found = Vec::new();
    for sql in ran {
        let head = sql.trim_start().to_ascii_uppercase();
        if !(head.starts_with("SELECT")
            || head.starts_with("WITH")
            || head.starts_with("INSERT")
            || head.starts_with("UPDATE")
            || head.starts_with("DELETE"))
        {
            continue;
        }
        let mut stmt = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap_or_else(|e| panic!("{e}: {sql}"));
        let details: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(3))
            .expect("plan")
            .collect::<Result<_, _>>()
            .expect("plan rows");
        for detail in details {
            let scanned = detail
                .strip_prefix("SCAN ")
                .map(|rest| rest.split_whitespace().next().unwrap_or(""));
            // `sections` is a handful of rows by nature: a scan of it is fine.
            if let Some(table) = scanned
                && GROWING.contains(&table)
                && table != "sections"
            {
                found.push(format!(
                    "{detail}  <=  {}",
                    sql.split_whitespace().collect::<Vec<_>>().join(" ")
                ));
            }
        }
    }
    found
}

async fn store() -> (tempfile::TempDir, SqliteStore, rusqlite::Connection) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("plans.db");
    let store = SqliteStore::open_traced(&path, record).expect("db").store;
    import::import(&store, DEMO_ARTICLES).await.expect("demo");
    let plain = rusqlite::Connection::open(&path).expect("plain connection");
    // The schema's migrations and the demo's import are not a reader's doing.
    RAN.lock().unwrap_or_else(|e| e.into_inner()).clear();
    (dir, store, plain)
}

/// Every read and write a reader's request causes, on the demo, each followed by `done(name)`.
async fn reader_ops(store: &dyn Store, mut done: impl FnMut(&'static str)) {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let slug = "coastal-towns-share-one-tide-gauge-network";
    let article = store.article(slug).await.expect("article");
    assert!(article.is_some(), "the demo has {slug}");
    done("article");
    let page = store
        .latest(None, 20, None)
        .await
        .expect("latest")
        .expect("page");
    done("latest");
    let cursor = Cursor::parse(page.next_cursor.as_deref().unwrap_or("1.1")).expect("cursor");
    store.latest(None, 5, Some(cursor)).await.expect("latest");
    done("latest after a cursor");
    store
        .latest(Some("world"), 12, Some(cursor))
        .await
        .expect("section");
    done("a section's latest");
    store.sections().await.expect("sections");
    done("sections");
    let tag = ListOf::Tag("climate".into());
    let listing = store.listing(&tag, 1, None).await.expect("tag");
    assert!(
        listing.is_some_and(|l| l.next_cursor.is_some()),
        "the demo tags two climate"
    );
    done("a tag's stories");
    store.listing(&tag, 12, Some(cursor)).await.expect("tag");
    done("a tag's stories after a cursor");
    let author = ListOf::Author("mina-okafor".into());
    let listing = store.listing(&author, 12, None).await.expect("author");
    assert!(listing.is_some(), "the demo has Mina Okafor's stories");
    done("an author's stories");
    store
        .listing(&author, 12, Some(cursor))
        .await
        .expect("author");
    done("an author's stories after a cursor");
    store.front(4).await.expect("front");
    done("front");
    store.article_modules(slug).await.expect("modules");
    done("an article's modules");
    for (listing, what) in [
        (FeedOf::All, "the home feed"),
        (FeedOf::Section("world".into()), "a section's feed"),
        (FeedOf::Tag("climate".into()), "a tag's feed"),
    ] {
        store
            .feed(&listing, 50)
            .await
            .expect("feed")
            .expect("listed");
        done(what);
    }
    store.sitemap_parts(4).await.expect("sitemap index");
    done("the sitemap index");
    store.sitemap_part(2, 4).await.expect("sitemap");
    done("an article sitemap");
    store
        .published_since(now - 48 * 3600, 1000)
        .await
        .expect("news sitemap");
    done("the news sitemap");
    let found = store
        .search(vec!["tide".into(), "gauge".into()], 1, None)
        .await
        .expect("search");
    done("search");
    let cursor = found.items.first().map(|(_, at)| *at);
    assert!(cursor.is_some(), "the demo has a tide gauge story");
    store
        .search(vec!["the".into()], 10, cursor)
        .await
        .expect("search");
    done("search after a cursor");
    store
        .first_screen(ScreenQuery {
            front: Some(4),
            section: Some(("world".into(), 12)),
        })
        .await
        .expect("first screen");
    done("first screen");
    store
        .record_views(vec![HourlyViews {
            slug: slug.into(),
            hour: now / 3_600,
            views: 3,
        }])
        .await
        .expect("views");
    done("recording views");
    let post = NewPost {
        slug: slug.into(),
        nickname: "Mina".into(),
        body: "A plan worth trying.".into(),
        key: "plan-test-key-0000001".into(),
        client: "192.0.2.1".into(),
        created_at: now * 1_000,
    };
    store.earlier_post(&post).await.expect("earlier");
    done("checking a key");
    store.post_comment(post).await.expect("post");
    done("posting a comment");
    let comments = store
        .comments(slug, 20, None)
        .await
        .expect("comments")
        .expect("page");
    done("comments");
    store
        .comments(slug, 20, Some(comments.items[0].id + 1))
        .await
        .expect("comments");
    done("comments after a cursor");
    store
        .report_comment(Report {
            slug: slug.into(),
            comment: comments.items[0].id,
            reporter: "192.0.2.2".into(),
            threshold: 1,
            at: now * 1_000,
        })
        .await
        .expect("report");
    done("reporting");
    store.moderation_list(Some("hidden")).await.expect("list");
    done("the moderation queue");
    store
        .approve_comment(comments.items[0].id)
        .await
        .expect("approve");
    done("approving");
}

#[tokio::test]
async fn every_read_and_write_a_reader_causes_uses_an_index() {
    let _one = SERIAL.lock().await;
    let (_dir, store, plain) = store().await;
    let mut ops: Vec<(&str, Vec<String>)> = Vec::new();
    reader_ops(&store, |op| ops.push((op, scans(&plain)))).await;
    let found: Vec<String> = ops
        .into_iter()
        .flat_map(|(op, scans)| scans.into_iter().map(move |s| format!("{op}: {s}")))
        .collect();
    assert!(found.is_empty(), "full scans:\n{}", found.join("\n"));
}

#[tokio::test]
async fn the_rankings_read_only_the_window_of_hours() {
    let _one = SERIAL.lock().await;
    let (_dir, store, plain) = store().await;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    store.rankings(now).await.expect("rankings");
    let found = scans(&plain);
    assert!(found.is_empty(), "full scans:\n{}", found.join("\n"));
}

#[test]
fn a_missing_index_is_caught() {
    // The judge itself: a query without an index is reported.
    let _one = SERIAL.blocking_lock();
    let conn = rusqlite::Connection::open_in_memory().expect("db");
    conn.execute_batch("CREATE TABLE comments (id INTEGER PRIMARY KEY, article_id INTEGER)")
        .expect("table");
    record("SELECT id FROM comments WHERE article_id = 7");
    assert_eq!(scans(&conn).len(), 1);
    conn.execute_batch("CREATE INDEX c ON comments (article_id)")
        .expect("index");
    record("SELECT id FROM comments WHERE article_id = 7");
    assert!(scans(&conn).is_empty());
}

/// The PostgreSQL twin of [`every_read_and_write_a_reader_causes_uses_an_index`].
#[tokio::test]
async fn on_postgres_every_read_and_write_a_reader_causes_uses_an_index() {
    let cluster = support::postgres::shared();
    let url = cluster.database(true);
    let name = url.rsplit('/').next().expect("database name").to_owned();
    let options = "-c enable_seqscan=off -c session_preload_libraries=auto_explain \
                   -c auto_explain.log_min_duration=0 -c auto_explain.log_nested_statements=on";
    let with_options = format!(
        "{url}?options={}",
        options.replace(' ', "%20").replace('=', "%3D")
    );
    let store =
        broadsheet_server::store::postgres::PgStore::open(&with_options, Default::default())
            .await
            .expect("db")
            .store;
    import::import(&store, DEMO_ARTICLES).await.expect("demo");
    let from = cluster.log().len();
    let mut ops = Vec::new();
    reader_ops(&store, |op| ops.push(op)).await;
    store
        .rankings(time::OffsetDateTime::now_utc().unix_timestamp())
        .await
        .expect("rankings");
    // The judge itself: a statement no index serves is caught.
    support::postgres::query_async(
        &with_options,
        "SELECT COUNT(*) FROM comments WHERE body = 'no index for this'",
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let log = cluster.log();
    // Entries start with the line prefix (`%m [%p] %d `); a plan's lines follow its first.
    let mut found = Vec::new();
    let mut plans = 0;
    let mut entry: Vec<&str> = Vec::new();
    let mut judge = |entry: &[&str]| {
        if !entry
            .first()
            .is_some_and(|l| l.contains(&format!(" {name} LOG:  duration:")))
        {
            return;
        }
        plans += 1;
        let query = entry
            .iter()
            .find_map(|l| l.trim().strip_prefix("Query Text: "))
            .unwrap_or("?");
        for line in entry {
            if let Some(table) = line
                .trim_start()
                .trim_start_matches("->")
                .trim()
                .strip_prefix("Seq Scan on ")
            {
                let table = table.split_whitespace().next().unwrap_or("");
                if GROWING.contains(&table) && table != "sections" {
                    found.push(format!(
                        "{table}  <=  {}",
                        query.split_whitespace().collect::<Vec<_>>().join(" ")
                    ));
                }
            }
        }
    };
    for line in log[from..].lines() {
        if line.starts_with("20") && line.contains(" LOG: ") || line.contains(" ERROR: ") {
            judge(&entry);
            entry.clear();
        }
        entry.push(line);
    }
    judge(&entry);
    assert!(plans > 20, "the plans were logged ({plans})");
    let judge = "comments  <=  SELECT COUNT(*) FROM comments WHERE body = 'no index for this'";
    assert!(
        found.iter().any(|f| f == judge),
        "the judge's own scan: {found:?}"
    );
    found.retain(|f| f != judge);
    assert!(found.is_empty(), "sequential scans:\n{}", found.join("\n"));
}
