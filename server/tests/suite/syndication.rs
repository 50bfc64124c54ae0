//! Feeds, sitemaps and robots.txt, read back by parsers that are not ours: every feed through
//! Python's `feedparser` (the venv `make setup` makes, `.venv` at the repository's root, or
//! `BROADSHEET_PYTHON`), which must raise no `bozo` flag and find the right entries in the
//! right order; JSON Feed against its spec's fields; sitemaps with roxmltree (namespaces,
//! limits, every article exactly once); the news sitemap's window; robots.txt; the full-text
//! option; hostile headlines and bodies; 404s; cache headers; and the autodiscovery links in
//! the first screen.

use crate::support;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use broadsheet_model::Article;
use broadsheet_server::import;
use broadsheet_server::syndication::Settings;
use serde_json::{Value, json};
use support::{Fixture, demo, fixture, get_from_host, get_with};

const HOST: &str = "news.example";
const BASE: &str = "http://news.example";

/// The Python that has `feedparser`: `BROADSHEET_PYTHON`, else the repository's `.venv`.
fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("BROADSHEET_PYTHON") {
        return p.into();
    }
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python");
    assert!(
        venv.exists(),
        "{} is missing: `make setup` installs feedparser there (scripts/requirements.txt), \
         or set BROADSHEET_PYTHON",
        venv.display()
    );
    venv
}

const FEEDPARSER: &str = r#"
import json, sys, feedparser
d = feedparser.parse(sys.stdin.buffer.read(), response_headers={"content-type": sys.argv[1]})
print(json.dumps({
    "bozo": bool(d.bozo),
    "error": str(d.get("bozo_exception", "")),
    "version": d.version,
    "title": d.feed.get("title"),
    "links": [l.get("href") for l in d.feed.get("links", [])],
    "entries": [{
        "title": e.get("title"),
        "link": e.get("link"),
        "id": e.get("id"),
        "summary": e.get("summary"),
        "content": [c.get("value") for c in e.get("content", [])],
        "tags": [t.get("term") for t in e.get("tags", [])],
        "author": e.get("author"),
        "published": e.get("published_parsed") is not None,
    } for e in d.entries],
}))
"#;

/// What `feedparser` makes of a document served as `content_type`.
fn feedparser(body: &[u8], content_type: &str) -> Value {
    let mut child = Command::new(python())
        .args(["-c", FEEDPARSER, content_type])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(body)
        .expect("feed written");
    let out = child.wait_with_output().expect("feedparser ends");
    assert!(out.status.success(), "feedparser failed");
    serde_json::from_slice(&out.stdout).expect("feedparser's JSON")
}

/// A JSON Feed 1.1 checked for what its spec requires (version, title, items with an id and
/// content_html or content_text, RFC 3339 dates), in the shape [`FEEDPARSER`] prints.
fn json_feed(body: &[u8]) -> Value {
    let feed: Value = serde_json::from_slice(body).expect("JSON");
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert!(feed["title"].is_string() && feed["home_page_url"].is_string());
    let entries: Vec<Value> = feed["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| {
            assert!(item["id"].is_string(), "{item}");
            assert!(item["content_html"].is_string() || item["content_text"].is_string());
            let date = item["date_published"].as_str().expect("date_published");
            assert!(broadsheet_model::Timestamp::parse(date).is_ok(), "{date}");
            json!({
                "title": item["title"],
                "link": item["url"],
                "id": item["id"],
                "summary": item["summary"],
                "tags": item["tags"],
                "author": item["authors"][0]["name"],
                "published": true,
            })
        })
        .collect();
    json!({"bozo": false, "version": "json11", "title": feed["title"], "entries": entries})
}

async fn get(f: &Fixture, uri: &str) -> support::Reply {
    get_from_host(f, uri, HOST).await
}

/// The demo's articles, newest first, that `keep` selects.
fn newest(keep: impl Fn(&Article) -> bool) -> Vec<Article> {
    let mut articles: Vec<Article> = demo().into_iter().filter(|a| keep(a)).collect();
    articles.sort_by_key(|a| std::cmp::Reverse(a.published_at.unix_seconds()));
    articles
}

fn url(slug: &str) -> String {
    format!("{BASE}/article/{slug}")
}

/// Checks one feed in every format: served with its type, parsed without complaint, the
/// expected entries in order with their titles, links and ids.
async fn check_feed(f: &Fixture, page: &str, expected: &[Article], title: &str) {
    for (file, media_type, version) in [
        ("feed.xml", "application/rss+xml", "rss20"),
        ("atom.xml", "application/atom+xml", "atom10"),
        ("feed.json", "application/feed+json", "json11"),
    ] {
        let path = if page == "/" {
            format!("/{file}")
        } else {
            format!("{page}/{file}")
        };
        let r = get(f, &path).await;
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(
            r.content_type,
            format!("{media_type}; charset=utf-8"),
            "{path}"
        );
        // feedparser 6.0 reads no JSON Feed: that one is read against its spec here.
        let parsed = if version == "json11" {
            json_feed(&r.body)
        } else {
            feedparser(&r.body, media_type)
        };
        assert_eq!(parsed["bozo"], false, "{path}: {}", parsed["error"]);
        assert_eq!(parsed["version"], version, "{path}");
        assert_eq!(parsed["title"], title, "{path}");
        let entries = parsed["entries"].as_array().expect("entries");
        let titles: Vec<&str> = entries.iter().filter_map(|e| e["title"].as_str()).collect();
        let want: Vec<&str> = expected.iter().map(|a| a.headline.as_str()).collect();
        assert_eq!(titles, want, "{path}");
        for (e, a) in entries.iter().zip(expected) {
            assert_eq!(e["link"], url(&a.slug), "{path}");
            assert_eq!(e["id"], url(&a.slug), "{path}");
            assert_eq!(e["published"], true, "{path}");
            assert_eq!(
                e["author"].as_str(),
                a.byline.as_ref().map(|b| b.name.as_str()),
                "{path}"
            );
            let tags: Vec<&str> = e["tags"]
                .as_array()
                .expect("tags")
                .iter()
                .filter_map(Value::as_str)
                .collect();
            assert!(tags.contains(&a.section.name.as_str()), "{path}: {tags:?}");
            for tag in &a.tags {
                assert!(tags.contains(&tag.as_str()), "{path}: {tags:?}");
            }
            assert_eq!(e["summary"], a.description(500), "{path}");
        }
    }
}

on_both_stores! {
    #[tokio::test]
    async fn every_feed_parses_cleanly_with_its_entries_in_order() {
        let f = fixture().await;
        check_feed(&f, "/", &newest(|_| true), "Broadsheet").await;
        check_feed(
            &f,
            "/section/world",
            &newest(|a| a.section.slug == "world"),
            "World — Broadsheet",
        )
        .await;
        // A tag with a space, percent-encoded in its address, matched exactly.
        check_feed(
            &f,
            "/tag/small%20business",
            &newest(|a| a.tags.iter().any(|t| t == "small business")),
            "small business — Broadsheet",
        )
        .await;
        check_feed(
            &f,
            "/tag/climate",
            &newest(|a| a.tags.iter().any(|t| t == "climate")),
            "climate — Broadsheet",
        )
        .await;
    }

    #[tokio::test]
    async fn unknown_sections_and_tags_are_not_found() {
        let f = fixture().await;
        for path in [
            "/section/nowhere/feed.xml",
            "/section/nowhere/atom.xml",
            "/tag/nowhere/feed.json",
            // Tags match exactly: case counts.
            "/tag/Climate/feed.xml",
            "/tag/%FF/feed.xml",
            "/sitemaps/articles-0.xml",
            "/sitemaps/articles-01.xml",
            "/sitemaps/articles-99.xml",
            "/sitemaps/other.xml",
        ] {
            let r = get(&f, path).await;
            assert_eq!(r.status, 404, "{path}");
            assert_eq!(r.cache, "no-store", "{path}");
        }
    }

    #[tokio::test]
    async fn the_json_feed_has_its_specs_fields() {
        let f = fixture().await;
        let r = get(&f, "/section/world/feed.json").await;
        let feed: Value = serde_json::from_slice(&r.body).expect("JSON");
        assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
        assert_eq!(feed["home_page_url"], format!("{BASE}/section/world"));
        assert_eq!(feed["feed_url"], format!("{BASE}/section/world/feed.json"));
        assert_eq!(feed["authors"][0]["name"], "Broadsheet");
        let items = feed["items"].as_array().expect("items");
        assert_eq!(items.len(), newest(|a| a.section.slug == "world").len());
        for item in items {
            // Required: id (a string); content_html or content_text.
            assert!(item["id"].is_string());
            assert!(item["content_text"].is_string() ^ item["content_html"].is_string());
            for date in ["date_published", "date_modified"] {
                if let Some(d) = item[date].as_str() {
                    assert!(broadsheet_model::Timestamp::parse(d).is_ok(), "{d}");
                }
            }
            assert!(item["date_published"].is_string());
            assert!(item["tags"].as_array().is_some_and(|t| !t.is_empty()));
            assert!(item["authors"][0]["name"].is_string());
        }
        // The coastal story was updated: its modification date says so.
        let coastal = items
            .iter()
            .find(|i| i["url"] == url("coastal-towns-share-one-tide-gauge-network"))
            .expect("coastal story");
        assert_eq!(coastal["date_modified"], "2026-11-27T11:05:00Z");
    }
}

/// An article in the import format.
fn article(slug: &str, headline: &str, published: i64, body: Value) -> Value {
    let at = time::OffsetDateTime::from_unix_timestamp(published)
        .expect("time")
        .format(&time::format_description::well_known::Rfc3339)
        .expect("format");
    json!({
        "slug": slug,
        "section": {"slug": "world", "name": "World"},
        "headline": headline,
        "standfirst": null,
        "byline": {"name": "Mina <b>Park</b>", "email": null},
        "published_at": at,
        "body": body,
        "tags": ["<script>tag</script>"],
    })
}

const HOSTILE: &str = "<script>alert('x')</script> & \"quotes\" </title></item>]]>";

on_both_stores! {
    #[tokio::test]
    async fn hostile_text_stays_text_and_full_text_is_the_publishers_choice() {
        let mut f = fixture().await;
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let body = json!([
            {"type": "paragraph", "text": "<img src=x onerror=alert(1)> bold link",
             "runs": [
                {"text": "<img src=x onerror=alert(1)> "},
                {"text": "bold", "bold": true},
                {"text": " "},
                {"text": "link", "link": "javascript:alert(1)"}
             ]},
            {"type": "heading", "text": "</h2><script>x</script>"},
            {"type": "quote", "text": "q", "cite": "<i>c</i>"},
            {"type": "list", "ordered": false, "items": ["<li>one"]},
        ]);
        let doc = json!([article("hostile-one", HOSTILE, now, body)]);
        import::import(&*f.db.store, &doc.to_string()).await.expect("imports");
        let tag = "/tag/%3Cscript%3Etag%3C%2Fscript%3E";

        // Without --feed-full-text: the description only.
        for (path, media_type) in [
            (format!("{tag}/feed.xml"), "application/rss+xml"),
            (format!("{tag}/atom.xml"), "application/atom+xml"),
        ] {
            let r = get(&f, &path).await;
            assert_eq!(r.status, 200, "{path}");
            let text = r.text();
            assert!(!text.contains("<script>") && !text.contains("<img"), "{text}");
            assert!(!text.contains("content:encoded") && !text.contains("<content"));
            // The XML's own reading of the title is the headline, character for character.
            let xml = roxmltree::Document::parse(&text).expect("well-formed");
            let titles: Vec<&str> = xml
                .descendants()
                .filter(|n| n.has_tag_name("title"))
                .filter_map(|n| n.text())
                .collect();
            assert!(titles.contains(&HOSTILE), "{titles:?}");
            // RSS descriptions are HTML: the text arrives escaped, as text.
            let description = xml
                .descendants()
                .filter(|n| n.has_tag_name("description"))
                .filter_map(|n| n.text())
                .any(|d| d == "&lt;img src=x onerror=alert(1)&gt; bold link");
            assert!(description || media_type.contains("atom"), "{text}");
            let parsed = feedparser(&r.body, media_type);
            assert_eq!(parsed["bozo"], false, "{path}: {}", parsed["error"]);
            assert_eq!(parsed["entries"].as_array().map(Vec::len), Some(1));
        }
        // Atom's titles are typed text: feedparser gives the headline back exactly.
        let atom = feedparser(&get(&f, &format!("{tag}/atom.xml")).await.body, "application/atom+xml");
        assert_eq!(atom["entries"][0]["title"], HOSTILE);
        let json_feed: Value =
            serde_json::from_slice(&get(&f, &format!("{tag}/feed.json")).await.body).expect("JSON");
        assert_eq!(json_feed["items"][0]["title"], HOSTILE);
        assert!(json_feed["items"][0]["content_html"].is_null());

        // With it: the body as HTML whose every text is escaped.
        f.state = f.state.clone().with_syndication(Settings {
            full_text: true,
            ..Settings::default()
        });
        let json_feed: Value =
            serde_json::from_slice(&get(&f, &format!("{tag}/feed.json")).await.body).expect("JSON");
        let html = json_feed["items"][0]["content_html"].as_str().expect("full text");
        assert!(html.starts_with("<p>&lt;img src=x onerror=alert(1)&gt; <strong>bold</strong> link</p>"), "{html}");
        assert!(html.contains("<h2>&lt;/h2&gt;&lt;script&gt;x&lt;/script&gt;</h2>"), "{html}");
        assert!(html.contains("<cite>&lt;i&gt;c&lt;/i&gt;</cite>") && html.contains("<li>&lt;li&gt;one</li>"));
        assert!(!html.contains("javascript:"), "{html}");
        for (path, media_type) in [
            (format!("{tag}/feed.xml"), "application/rss+xml"),
            (format!("{tag}/atom.xml"), "application/atom+xml"),
        ] {
            let r = get(&f, &path).await;
            let text = r.text();
            assert!(!text.contains("<script>") && !text.contains("<img"), "{text}");
            let parsed = feedparser(&r.body, media_type);
            assert_eq!(parsed["bozo"], false, "{path}: {}", parsed["error"]);
            let content = parsed["entries"][0]["content"][0].as_str().expect("content");
            // feedparser's sanitizer would drop a real element; the text survives as text.
            assert!(content.contains("&lt;img src=x onerror=alert(1)&gt;"), "{path}: {content}");
            assert!(content.contains("<strong>bold</strong>"), "{path}: {content}");
        }
        // The demo's feeds carry their bodies too.
        let home: Value = serde_json::from_slice(&get(&f, "/feed.json").await.body).expect("JSON");
        assert!(home["items"].as_array().expect("items").iter().all(|i| i["content_html"].is_string()));
    }

    #[tokio::test]
    async fn feeds_are_cached_like_pages_and_revalidate() {
        let f = fixture().await;
        for path in ["/feed.xml", "/section/world/atom.xml", "/tag/climate/feed.json", "/sitemap.xml", "/sitemaps/news.xml", "/sitemaps/articles-1.xml", "/robots.txt"] {
            let r = get(&f, path).await;
            assert_eq!(r.status, 200, "{path}");
            assert!(r.cache.starts_with("public, max-age="), "{path}: {}", r.cache);
            let keys = r.header("surrogate-key");
            if path != "/robots.txt" {
                assert!(keys.split(' ').any(|k| k == "lists"), "{path}: {keys}");
            }
            let etag = r.header("etag");
            assert!(etag.starts_with('"'), "{path}");
            let again = get_with(&f, path, &[("host", HOST), ("if-none-match", &etag)]).await;
            assert_eq!(again.status, 304, "{path}");
            assert!(again.body.is_empty());
        }
        assert_eq!(
            get(&f, "/section/world/feed.xml").await.header("surrogate-key"),
            "section:world lists"
        );
    }
}

/// Every `<loc>` of a sitemap (or index), checked for its namespace and root.
fn locs(xml: &str, root: &str) -> Vec<(String, Option<String>)> {
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    assert!(doc.root_element().has_tag_name((ns, root)), "{xml}");
    let entry = if root == "urlset" { "url" } else { "sitemap" };
    doc.root_element()
        .children()
        .filter(|n| n.has_tag_name((ns, entry)))
        .map(|n| {
            let text = |name: &str| {
                n.children()
                    .find(|c| c.has_tag_name((ns, name)))
                    .and_then(|c| c.text())
                    .map(str::to_owned)
            };
            (text("loc").expect("loc"), text("lastmod"))
        })
        .collect()
}

on_both_stores! {
    #[tokio::test]
    async fn the_sitemap_index_lists_every_part_and_every_article_once() {
        let mut f = fixture().await;
        // Three more articles than the demo's, four ids to a part: as many article sitemaps as
        // that takes (six, with the demo's 19).
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let more: Vec<Value> = (0..3)
            .map(|i| article(&format!("more-{i}"), &format!("More {i}"), now - i * 60, json!([{"type": "paragraph", "text": "x"}])))
            .collect();
        import::import(&*f.db.store, &Value::Array(more).to_string()).await.expect("imports");
        f.state = f.state.clone().with_syndication(Settings {
            sitemap_part: 4,
            ..Settings::default()
        });
        let index = get(&f, "/sitemap.xml").await;
        assert_eq!(index.status, 200);
        assert_eq!(index.content_type, "application/xml; charset=utf-8");
        let parts = locs(&index.text(), "sitemapindex");
        assert_eq!(parts[0].0, format!("{BASE}/sitemaps/sections.xml"));
        let part_count = (demo().len() + 3).div_ceil(4);
        let article_parts: Vec<String> = (1..=part_count).map(|n| format!("{BASE}/sitemaps/articles-{n}.xml")).collect();
        assert_eq!(parts[1..].iter().map(|p| p.0.clone()).collect::<Vec<_>>(), article_parts);
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut lastmods = BTreeMap::new();
        for (loc, lastmod) in &parts[1..] {
            let path = loc.strip_prefix(BASE).expect("absolute");
            let r = get(&f, path).await;
            assert_eq!(r.status, 200, "{path}");
            let urls = locs(&r.text(), "urlset");
            assert!(!urls.is_empty() && urls.len() <= 4, "{path}: {}", urls.len());
            // The part's lastmod is its latest article's.
            let latest = urls.iter().filter_map(|u| u.1.clone()).max();
            assert_eq!(lastmod, &latest, "{path}");
            for (u, m) in urls {
                *seen.entry(u.clone()).or_default() += 1;
                lastmods.insert(u, m);
            }
        }
        let mut every: Vec<String> = demo().iter().map(|a| url(&a.slug)).collect();
        every.extend((0..3).map(|i| url(&format!("more-{i}"))));
        assert_eq!(seen.len(), every.len());
        for u in &every {
            assert_eq!(seen.get(u), Some(&1), "{u}");
        }
        // Updated articles are dated by their update.
        assert_eq!(
            lastmods[&url("coastal-towns-share-one-tide-gauge-network")].as_deref(),
            Some("2026-11-27T11:05:00Z")
        );
        let night = demo().into_iter().find(|a| a.slug.starts_with("night-trains")).expect("demo");
        assert_eq!(lastmods[&url(&night.slug)].as_deref(), Some("2026-11-25T09:00:00Z"));
        // The fronts: home and each section.
        let fronts = locs(&get(&f, "/sitemaps/sections.xml").await.text(), "urlset");
        let fronts: Vec<&str> = fronts.iter().map(|u| u.0.as_str()).collect();
        assert_eq!(fronts[0], format!("{BASE}/"));
        for s in ["world", "business", "science", "culture", "sport"] {
            assert!(fronts.contains(&format!("{BASE}/section/{s}").as_str()), "{fronts:?}");
        }
        // Past the last part: nothing.
        let past = format!("/sitemaps/articles-{}.xml", part_count + 1);
        assert_eq!(get(&f, &past).await.status, 404);
        // At the default size (2,000 a part), one part holds them all.
        f.state = f.state.clone().with_syndication(Settings::default());
        let parts = locs(&get(&f, "/sitemap.xml").await.text(), "sitemapindex");
        assert_eq!(parts.len(), 2);
        assert_eq!(locs(&get(&f, "/sitemaps/articles-1.xml").await.text(), "urlset").len(), every.len());
    }

    #[tokio::test]
    async fn the_news_sitemap_holds_the_last_two_days_only() {
        let f = fixture().await;
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let docs: Vec<Value> = [("fresh", 3600), ("two-days", 47 * 3600), ("too-old", 49 * 3600)]
            .iter()
            .map(|(slug, age)| article(slug, &format!("{slug} & <news>"), now - age, json!([{"type": "paragraph", "text": "x"}])))
            .collect();
        import::import(&*f.db.store, &Value::Array(docs).to_string()).await.expect("imports");
        let r = get(&f, "/sitemaps/news.xml").await;
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type, "application/xml; charset=utf-8");
        let text = r.text();
        let doc = roxmltree::Document::parse(&text).expect("well-formed");
        let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
        let news = "http://www.google.com/schemas/sitemap-news/0.9";
        let urls: Vec<_> = doc.root_element().children().filter(|n| n.has_tag_name((ns, "url"))).collect();
        let find = |n: roxmltree::Node, ns: &str, name: &str| {
            n.descendants().find(|c| c.has_tag_name((ns, name))).and_then(|c| c.text()).map(str::to_owned)
        };
        let locs: Vec<String> = urls.iter().filter_map(|u| find(*u, ns, "loc")).collect();
        // Newest first; the demo's articles are older than two days.
        assert_eq!(locs, vec![url("fresh"), url("two-days")]);
        for (u, slug) in urls.iter().zip(["fresh", "two-days"]) {
            assert_eq!(find(*u, news, "name").as_deref(), Some("Broadsheet"));
            assert_eq!(find(*u, news, "language").as_deref(), Some("en"));
            assert_eq!(find(*u, news, "title"), Some(format!("{slug} & <news>")));
            let date = find(*u, news, "publication_date").expect("date");
            assert!(broadsheet_model::Timestamp::parse(&date).is_ok(), "{date}");
        }
    }

    #[tokio::test]
    async fn robots_txt_names_both_sitemaps() {
        let f = fixture().await;
        let r = get(&f, "/robots.txt").await;
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type, "text/plain; charset=utf-8");
        let text = r.text();
        let lines: Vec<&str> = text.lines().collect();
        for line in [
            "User-agent: *",
            "Allow: /",
            "Disallow: /api/",
            "Disallow: /oembed",
            "Sitemap: http://news.example/sitemap.xml",
            "Sitemap: http://news.example/sitemaps/news.xml",
        ] {
            assert!(lines.contains(&line), "{line} in {text}");
        }
        assert!(!text.contains("Disallow: /\n"), "the site stays open");
        // The address is the site's, never a foreign Host.
        assert_eq!(get_from_host(&f, "/robots.txt", "evil.example").await.status, 421);
    }

    #[tokio::test]
    async fn pages_announce_their_feeds_in_the_first_screen() {
        let f = fixture().await;
        for (page, feeds, title) in [
            ("/", "", "Broadsheet"),
            ("/section/world", "/section/world", "World — Broadsheet"),
        ] {
            let html = get(&f, page).await.text();
            for (file, media_type, label) in [
                ("feed.xml", "application/rss+xml", "RSS"),
                ("atom.xml", "application/atom+xml", "Atom"),
                ("feed.json", "application/feed+json", "JSON Feed"),
            ] {
                let link = format!(
                    "<link rel=\"alternate\" type=\"{media_type}\" href=\"{BASE}{feeds}/{file}\" title=\"{title} ({label})\">"
                );
                assert!(html.contains(&link), "{page}: {link}");
                // The link leads to that feed.
                let r = get(&f, &format!("{feeds}/{file}")).await;
                assert_eq!(r.status, 200);
                assert!(r.content_type.starts_with(media_type));
            }
        }
        // An article page announces none (its oEmbed link is another kind).
        let html = get(&f, "/article/coastal-towns-share-one-tide-gauge-network").await.text();
        assert!(!html.contains("application/rss+xml"));
    }
}
