//! Full-text search through the API and the page, on both stores: ranking and paging, Korean
//! inside longer words, re-imports that change an article's words, refused queries, no
//! results, hostile text that stays text, and the same answers from SQLite and PostgreSQL.

use crate::support;

use axum::http::StatusCode;
use broadsheet_model::{ApiError, SearchResults};
use broadsheet_server::import;
use scraper::{Html, Selector};
use support::{Kind, fixture, send};

/// An article for the tests: `n` sets its slug and its time (a larger `n` is newer).
fn story(n: u32, headline: &str, body: &str) -> serde_json::Value {
    serde_json::json!({
        "slug": format!("search-story-{n}"),
        "section": {"slug": "world", "name": "World"},
        "headline": headline,
        "standfirst": null,
        "byline": {"name": "Ada Quill"},
        "published_at": format!("2026-10-{:02}T{:02}:00:00Z", 1 + n / 24, n % 24),
        "body": [{"type": "paragraph", "text": body}],
        "tags": ["harbours"]
    })
}

/// Imports the stories as the server's own import does: it then drops the answers it kept.
async fn put(f: &support::Fixture, stories: Vec<serde_json::Value>) {
    let slugs: Vec<String> = stories
        .iter()
        .filter_map(|s| s["slug"].as_str().map(str::to_owned))
        .collect();
    let file = serde_json::Value::Array(stories).to_string();
    import::import(&*f.db, &file).await.expect("imports");
    f.state.articles_changed(&slugs);
}

fn q(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn search(f: &support::Fixture, query: &str) -> SearchResults {
    let reply = send(f, "GET", &format!("/api/search?q={}", q(query))).await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.text());
    reply.json()
}

/// Every page of a query's results, following the cursors: the slugs in order.
async fn all_pages(f: &support::Fixture, query: &str) -> Vec<String> {
    let mut slugs = Vec::new();
    let mut uri = format!("/api/search?q={}", q(query));
    loop {
        let page: SearchResults = send(f, "GET", &uri).await.json();
        assert!(page.items.len() <= 10);
        slugs.extend(page.items.into_iter().map(|h| h.story.slug));
        match page.next_cursor {
            Some(c) => uri = format!("/api/search?q={}&cursor={c}", q(query)),
            None => return slugs,
        }
    }
}

fn slugs(found: &SearchResults) -> Vec<&str> {
    found.items.iter().map(|h| h.story.slug.as_str()).collect()
}

/// The marked words of runs, lowercased.
fn marked(runs: &[broadsheet_model::Marked]) -> Vec<String> {
    runs.iter()
        .filter(|r| r.marked)
        .map(|r| r.text.to_lowercase())
        .collect()
}

/// Stories about lighthouses: 4 say so in their headline, 23 only in their body, and 3 never.
fn lighthouses() -> Vec<serde_json::Value> {
    (0..30u32)
        .map(|n| {
            if n.is_multiple_of(10) || n == 25 {
                let headline = format!("Lighthouse keepers, part {n}");
                story(n, &headline, "The keepers climb the tower.")
            } else if n % 10 == 7 {
                story(n, &format!("Fishing boats {n}"), "Nets and weather.")
            } else {
                let body = format!("Beyond the pier the old LIGHTHOUSE stands, note {n}.");
                story(n, &format!("Coastal notes {n}"), &body)
            }
        })
        .collect()
}

on_both_stores! {
    #[tokio::test]
    async fn headline_matches_come_first_then_newest_and_pages_cover_every_match() {
        let f = fixture().await;
        put(&f, lighthouses()).await;
        let in_headline = |n: u32| n.is_multiple_of(10) || n == 25;
        let mut expected: Vec<u32> = (0..30).filter(|n| n % 10 != 7).collect();
        // The rule, independently: headline matches first, then newest first.
        expected.sort_by_key(|&n| (std::cmp::Reverse(in_headline(n)), std::cmp::Reverse(n)));
        let expected: Vec<String> = expected.iter().map(|n| format!("search-story-{n}")).collect();
        assert_eq!(all_pages(&f, "lighthouse").await, expected);
        // Case and width fold: the same answers.
        assert_eq!(all_pages(&f, "ＬＩＧＨＴＨＯＵＳＥ").await, expected);

        let first = search(&f, "lighthouse").await;
        assert_eq!(first.items.len(), 10);
        assert!(first.next_cursor.is_some() && first.latest.is_empty());
        let top = &first.items[0];
        let spelled: String = top.headline.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(spelled, top.story.headline);
        assert_eq!(marked(&top.headline), ["lighthouse"]);
        let body_hit = &first.items[4];
        assert_eq!(marked(&body_hit.snippet), ["lighthouse"]);
        assert!(marked(&body_hit.headline).is_empty());

        // Every word must be there (AND), and words found by the byline and tags count.
        assert_eq!(slugs(&search(&f, "lighthouse keepers tower").await).len(), 4);
        // No headline holds the byline's and the tag's words: newest first only.
        let mut by_time: Vec<u32> = (0..30).filter(|n| n % 10 != 7).collect();
        by_time.reverse();
        let by_time: Vec<String> = by_time.iter().map(|n| format!("search-story-{n}")).collect();
        assert_eq!(all_pages(&f, "quill harbours lighthouse").await, by_time);
    }
}

on_both_stores! {
    #[tokio::test]
    async fn korean_words_are_found_inside_longer_words() {
        let f = fixture().await;
        put(&f, vec![
            story(1, "시장 회의 소식", "서울에서 열린 회의에 시민들이 모였다."),
            story(2, "서울의 밤", "야간 열차가 다시 달린다."),
            story(3, "부산 항구", "컨테이너 물동량이 늘었다."),
            story(4, "東京の朝", "電車が混雑した。"),
        ])
        .await;
        let found = search(&f, "서울").await;
        // The headline's match first, then the body's.
        assert_eq!(slugs(&found), ["search-story-2", "search-story-1"]);
        assert_eq!(marked(&found.items[0].headline), ["서울"]);
        assert_eq!(marked(&found.items[1].snippet), ["서울"]);
        assert_eq!(slugs(&search(&f, "회의").await), ["search-story-1"]);
        assert_eq!(slugs(&search(&f, "서울 회의").await), ["search-story-1"]);
        assert_eq!(slugs(&search(&f, "물동량").await), ["search-story-3"]);
        assert_eq!(slugs(&search(&f, "東京").await), ["search-story-4"]);
        assert_eq!(slugs(&search(&f, "전차").await), Vec::<&str>::new());
    }
}

on_both_stores! {
    #[tokio::test]
    async fn a_reimported_article_is_found_by_its_new_words_only() {
        let f = fixture().await;
        put(&f, vec![story(1, "Airship over the bay", "A zeppelin drifted past.")]).await;
        assert_eq!(slugs(&search(&f, "zeppelin").await), ["search-story-1"]);
        put(&f, vec![story(1, "Balloon over the bay", "A dirigible drifted past.")]).await;
        assert!(search(&f, "zeppelin").await.items.is_empty());
        assert!(search(&f, "airship").await.items.is_empty());
        assert_eq!(slugs(&search(&f, "dirigible balloon").await), ["search-story-1"]);
    }
}

on_both_stores! {
    #[tokio::test]
    async fn a_reimported_article_moved_in_time_is_found_once_in_its_new_place() {
        let f = fixture().await;
        put(&f, (1..=3).map(|n| story(n, &format!("Vaporetto {n}"), "Lagoonway.")).collect()).await;
        assert_eq!(all_pages(&f, "vaporetto").await, ["search-story-3", "search-story-2", "search-story-1"]);
        // Story 1 is published again, now the newest: SQLite keys its search row by time.
        let mut moved = story(1, "Vaporetto 1", "Lagoonway.");
        moved["published_at"] = "2026-11-20T00:00:00Z".into();
        put(&f, vec![moved]).await;
        assert_eq!(all_pages(&f, "vaporetto").await, ["search-story-1", "search-story-3", "search-story-2"]);
        assert_eq!(all_pages(&f, "lagoonway").await, ["search-story-1", "search-story-3", "search-story-2"]);
    }
}

on_both_stores! {
    #[tokio::test]
    async fn refused_queries_say_why() {
        let f = fixture().await;
        let long = "a".repeat(201);
        for (query, says) in [
            ("", "Type a word"),
            ("%20%20", "Type a word"),
            (long.as_str(), "200 characters"),
        ] {
            let reply = send(&f, "GET", &format!("/api/search?q={query}")).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
            let error: ApiError = reply.json();
            assert!(error.error.message.contains(says), "{query}: {}", error.error.message);
            assert_eq!(error.error.fields["q"], error.error.message);
            assert!(reply.cache.contains("no-store"), "{}", reply.cache);
        }
        let reply = send(&f, "GET", "/api/search").await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        for cursor in ["x", "2.1.1", "1.2"] {
            let reply = send(&f, "GET", &format!("/api/search?q=tide&cursor={cursor}")).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{cursor}");
        }
        // Exactly at the limit is a search, and so is one of many words.
        let at_limit = "bbbbbbbbb ".repeat(20);
        assert_eq!(send(&f, "GET", &format!("/api/search?q={}", q(&at_limit))).await.status, StatusCode::OK);
        let many = vec!["tide"; 40].join(" ");
        let (many, tide) = (search(&f, &many).await, search(&f, "tide").await);
        assert!(!tide.items.is_empty());
        assert_eq!(slugs(&many), slugs(&tide));
        // Punctuation alone finds nothing, and says so with the latest stories.
        let none = search(&f, "!?").await;
        assert!(none.items.is_empty() && !none.latest.is_empty());
        assert_eq!(none.query, "!?");
    }
}

on_both_stores! {
    #[tokio::test]
    async fn no_results_come_with_the_latest_stories() {
        let f = fixture().await;
        let found = search(&f, "xylophonequartz").await;
        assert!(found.items.is_empty() && found.next_cursor.is_none());
        let mut demo = support::demo();
        demo.sort_by_key(|a| std::cmp::Reverse(a.published_at));
        let newest: Vec<_> = demo.iter().take(5).map(|a| a.slug.as_str()).collect();
        let latest: Vec<_> = found.latest.iter().map(|s| s.slug.as_str()).collect();
        assert_eq!(latest, newest);
        assert_eq!(found.query, "xylophonequartz");
    }
}

fn select(html: &Html, selector: &str) -> Vec<String> {
    let s = Selector::parse(selector).expect("selector");
    html.select(&s).map(|e| e.text().collect()).collect()
}

fn attr(html: &Html, selector: &str, name: &str) -> Vec<String> {
    let s = Selector::parse(selector).expect("selector");
    html.select(&s)
        .filter_map(|e| e.value().attr(name).map(str::to_owned))
        .collect()
}

on_both_stores! {
    #[tokio::test]
    async fn hostile_text_stays_text_in_the_api_and_the_page() {
        let f = fixture().await;
        let headline = "<script>alert(1)</script> Harbour <b>cranes</b>";
        put(&f, vec![story(1, headline, "<img src=x onerror=alert(2)> cranes & more")]).await;
        let found = search(&f, "script cranes").await;
        let hit = &found.items[0];
        assert_eq!(hit.headline.iter().map(|r| r.text.as_str()).collect::<String>(), headline);
        assert_eq!(marked(&hit.headline), ["script", "script", "cranes"]);

        let reply = support::get_from_host(&f, "/search?q=script+cranes", "news.example").await;
        assert_eq!(reply.status, StatusCode::OK);
        let text = reply.text();
        assert!(!text.contains("<script>alert"), "markup from the data");
        assert!(!text.contains("<img src=x"), "markup from the data");
        let html = Html::parse_document(&text);
        assert_eq!(select(&html, ".search-results__headline a"), [headline]);
        assert_eq!(select(&html, ".search-results__headline mark"), ["script", "script", "cranes"]);
        assert!(select(&html, "main script").is_empty());
        assert!(attr(&html, "main img", "src").is_empty());
    }
}

on_both_stores! {
    #[tokio::test]
    async fn the_search_page_is_server_rendered_with_its_own_head() {
        let f = fixture().await;
        put(&f, lighthouses()).await;
        let reply = support::get_from_host(&f, "/search?q=Lighthouse&utm=x", "news.example").await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(reply.cache.starts_with("public"), "{}", reply.cache);
        assert!(reply.header("surrogate-key").split(' ').any(|k| k == "lists"));
        let html = Html::parse_document(&reply.text());
        assert_eq!(select(&html, "title"), ["Search: Lighthouse — Broadsheet"]);
        assert_eq!(
            attr(&html, "link[rel=canonical]", "href"),
            ["http://news.example/search?q=Lighthouse"]
        );
        assert_eq!(select(&html, "h1"), ["Results for “Lighthouse”"]);
        assert_eq!(select(&html, ".search-results__item").len(), 10);
        assert_eq!(select(&html, ".search-results__headline mark")[0], "Lighthouse");
        let next = attr(&html, "a[rel=next]", "href");
        assert_eq!(next.len(), 1);
        assert!(next[0].starts_with("/search?q=Lighthouse&cursor="), "{next:?}");
        // The masthead's form works without the app.
        assert_eq!(attr(&html, "form[role=search]", "action"), ["/search"]);
        assert_eq!(attr(&html, "form[role=search] input", "name"), ["q"]);

        // Page 2, by the link, as the API gives it.
        let reply = support::get_from_host(&f, &next[0], "news.example").await;
        let html = Html::parse_document(&reply.text());
        let cursor = next[0].split("cursor=").nth(1).expect("cursor");
        let api: SearchResults =
            send(&f, "GET", &format!("/api/search?q=Lighthouse&cursor={cursor}")).await.json();
        let shown = select(&html, ".search-results__headline a");
        let expected: Vec<_> = api.items.iter().map(|h| h.story.headline.clone()).collect();
        assert_eq!(shown, expected);

        // The states with a message instead of results.
        for (uri, says) in [
            ("/search", "Type a word or two to search for."),
            ("/search?q=xylophonequartz", "No results for “xylophonequartz”."),
        ] {
            let reply = support::get_from_host(&f, uri, "news.example").await;
            assert_eq!(reply.status, StatusCode::OK, "{uri}");
            let html = Html::parse_document(&reply.text());
            assert_eq!(select(&html, ".search__message"), [says], "{uri}");
        }
        let reply = support::get_from_host(&f, "/search?q=xylophonequartz", "news.example").await;
        let html = Html::parse_document(&reply.text());
        assert_eq!(select(&html, ".story-list__item").len(), 5);
    }
}

on_both_stores! {
    #[tokio::test]
    async fn the_opensearch_description_names_the_public_address() {
        let f = fixture().await;
        let reply = support::get_from_host(&f, "/opensearch.xml", "news.example").await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.content_type, "application/opensearchdescription+xml; charset=utf-8");
        assert!(reply.cache.starts_with("public"), "{}", reply.cache);
        assert!(!reply.header("etag").is_empty());
        let text = reply.text();
        assert!(text.contains(r#"template="http://news.example/search?q={searchTerms}""#), "{text}");
        assert!(text.contains("<ShortName>Broadsheet</ShortName>"));
        let reply = support::get_from_host(&f, "/opensearch.xml", "elsewhere.example").await;
        assert_eq!(reply.status, StatusCode::MISDIRECTED_REQUEST);
    }
}

/// The same archive and the same queries on SQLite and on PostgreSQL: the same answers, page
/// by page, marks included.
#[tokio::test]
async fn both_stores_give_the_same_answers() {
    let mut stories = lighthouses();
    stories.extend([
        story(40, "서울에서 열린 회의", "시민들이 서울 시청 앞에 모였다."),
        story(
            41,
            "Ｆｕｌｌ-width and Café",
            "Don't stop: the café's owner said “déjà vu”.",
        ),
        story(
            42,
            "Tide gauges, again",
            "Lighthouse keepers read the tide gauge.",
        ),
    ]);
    let queries = [
        "lighthouse",
        "lighthouse keepers",
        "서울",
        "회의",
        "cafe",
        "café",
        "don't",
        "full width",
        "tide",
        "quill",
        "the",
        "zzz",
    ];
    let mut answers = Vec::new();
    for kind in [Kind::Sqlite, Kind::Postgres] {
        let stories = stories.clone();
        let answer = support::on(kind, async move {
            let f = fixture().await;
            put(&f, stories).await;
            let mut pages = Vec::new();
            for query in queries {
                let mut uri = format!("/api/search?q={}", q(query));
                loop {
                    let page: SearchResults = send(&f, "GET", &uri).await.json();
                    let next = page.next_cursor.clone();
                    pages.push((query, page));
                    match next {
                        Some(c) => uri = format!("/api/search?q={}&cursor={c}", q(query)),
                        None => break,
                    }
                }
            }
            pages
        })
        .await;
        answers.push(answer);
    }
    assert!(answers[0].iter().map(|(_, p)| p.items.len()).sum::<usize>() > 40);
    assert_eq!(answers[0], answers[1]);
}

/// Articles stored without search terms (before migration 4, or copied in by `migrate`) are
/// indexed when the store opens.
#[tokio::test]
async fn articles_without_terms_are_indexed_at_start() {
    use broadsheet_server::store::Store;
    use broadsheet_server::store::postgres::PgStore;
    use broadsheet_server::store::sqlite::SqliteStore;
    async fn found(store: &dyn Store) -> usize {
        let terms = vec!["tide".to_owned(), "gauge".to_owned()];
        store
            .search(terms, 10, None)
            .await
            .expect("search")
            .items
            .len()
    }

    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("backfill.db");
    let store = SqliteStore::open(&path).expect("db").store;
    import::import(&store, broadsheet_server::DEMO_ARTICLES)
        .await
        .expect("demo");
    let before = found(&store).await;
    assert!(before > 0);
    store
        .conn()
        .expect("conn")
        .execute_batch("DELETE FROM article_search; DELETE FROM article_headlines")
        .expect("forget the terms");
    assert_eq!(found(&store).await, 0);
    let store = SqliteStore::open(&path).expect("db").store;
    assert_eq!(found(&store).await, before);
    // With only the words' rows lost, the headlines' rows are written again once each (no
    // story found twice).
    store
        .conn()
        .expect("conn")
        .execute_batch("DELETE FROM article_search")
        .expect("forget the words");
    let store = SqliteStore::open(&path).expect("db").store;
    assert_eq!(found(&store).await, before);

    let url = support::postgres::shared().database(true);
    let store = PgStore::open(&url, Default::default())
        .await
        .expect("db")
        .store;
    import::import(&store, broadsheet_server::DEMO_ARTICLES)
        .await
        .expect("demo");
    assert_eq!(found(&store).await, before);
    support::postgres::query_async(
        &url,
        "UPDATE articles SET search_head = NULL, search_all = NULL",
    )
    .await;
    assert_eq!(found(&store).await, 0);
    let store = PgStore::open(&url, Default::default())
        .await
        .expect("db")
        .store;
    assert_eq!(found(&store).await, before);
}
