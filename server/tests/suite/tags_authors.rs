//! Tag and author pages and their API (`/tag/{tag}`, `/author/{slug}`, `GET /api/tags/{tag}`,
//! `GET /api/authors/{slug}`) on both stores: newest first, paged by cursor, 404 for what no
//! article has, tags exactly as stored whatever they contain, and lists that follow a
//! re-import.

use crate::support;

use axum::http::StatusCode;
use broadsheet::route::Route;
use broadsheet_model::{ApiError, Listing, author_slug};
use broadsheet_server::import;
use serde_json::json;
use support::{Fixture, demo, fixture, send};

/// An import file of articles `(slug, published, tags, byline)` in the `trade` section.
fn articles(items: &[(&str, &str, &[&str], Option<&str>)]) -> String {
    let list: Vec<serde_json::Value> = items
        .iter()
        .map(|(slug, published, tags, byline)| {
            json!({
                "slug": slug,
                "section": {"slug": "trade", "name": "Trade"},
                "headline": format!("Headline of {slug}"),
                "byline": byline.map(|name| json!({"name": name, "email": "desk@broadsheet.example"})),
                "published_at": published,
                "body": [{"type": "paragraph", "text": "Text."}],
                "tags": tags,
            })
        })
        .collect();
    serde_json::to_string(&list).expect("json")
}

/// Imports the articles as the import command does: the server then drops what it kept.
async fn add(f: &Fixture, items: &[(&str, &str, &[&str], Option<&str>)]) {
    import::import(&*f.db, &articles(items))
        .await
        .expect("imports");
    let slugs: Vec<String> = items.iter().map(|i| i.0.to_owned()).collect();
    f.state.articles_changed(&slugs);
}

/// Every item of a list, page by page (`limit` at a time), and the number of pages.
async fn all_pages(f: &Fixture, first: &str, limit: u32) -> (Vec<String>, usize, String) {
    let mut slugs = Vec::new();
    let mut pages = 0;
    let mut uri = format!("{first}?limit={limit}");
    loop {
        let reply = send(f, "GET", &uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.text());
        let page: Listing = reply.json();
        assert!(page.items.len() <= limit as usize);
        pages += 1;
        slugs.extend(page.items.into_iter().map(|s| s.slug));
        match page.next_cursor {
            Some(c) => uri = format!("{first}?limit={limit}&cursor={c}"),
            None => return (slugs, pages, page.name),
        }
    }
}

on_both_stores! {
    #[tokio::test]
    async fn a_tag_lists_its_articles_newest_first_page_by_page() {
        let f = fixture().await;
        // Thirteen articles a minute apart, every other one tagged "harbours".
        let slugs: Vec<String> = (0..13).map(|i| format!("harbour-{i:02}")).collect();
        let times: Vec<String> = (0..13).map(|i| format!("2026-11-20T08:{i:02}:00Z")).collect();
        let items: Vec<(&str, &str, &[&str], Option<&str>)> = slugs
            .iter()
            .zip(&times)
            .enumerate()
            .map(|(i, (s, t))| {
                let tags: &[&str] = if i % 2 == 0 { &["harbours", "trade"] } else { &["trade"] };
                (s.as_str(), t.as_str(), tags, Some("Mina Park"))
            })
            .collect();
        add(&f, &items).await;
        let (listed, pages, name) = all_pages(&f, "/api/tags/harbours", 2).await;
        let expected: Vec<String> = slugs.iter().step_by(2).rev().cloned().collect();
        assert_eq!(listed, expected);
        assert_eq!(pages, 4);
        assert_eq!(name, "harbours");
        // The author's list holds all thirteen, newest first, under the byline's name.
        let (listed, _, name) = all_pages(&f, "/api/authors/mina-park", 5).await;
        assert_eq!(listed, slugs.iter().rev().cloned().collect::<Vec<_>>());
        assert_eq!(name, "Mina Park");
    }
}

on_both_stores! {
    #[tokio::test]
    async fn the_demo_tags_and_bylines_have_their_lists() {
        let f = fixture().await;
        for article in demo() {
            for tag in &article.tags {
                let uri = Route::tag(tag.clone()).path().replacen("/tag/", "/api/tags/", 1);
                let (listed, _, name) = all_pages(&f, &uri, 50).await;
                assert!(listed.contains(&article.slug), "{uri}");
                assert_eq!(&name, tag);
            }
            if let Some(byline) = &article.byline {
                let uri = format!("/api/authors/{}", author_slug(&byline.name));
                let (listed, _, _) = all_pages(&f, &uri, 50).await;
                assert!(listed.contains(&article.slug), "{uri}");
            }
        }
    }
}

on_both_stores! {
    #[tokio::test]
    async fn tags_are_matched_exactly_whatever_they_hold() {
        let f = fixture().await;
        let odd: &[&str] = &["  sea   ports ", "항구", "a/b?c", "100%", "Trade", "trade"];
        add(&f, &[
            ("odd-tags", "2026-11-21T09:00:00Z", odd, Some("김민지")),
            ("plain-tags", "2026-11-21T08:00:00Z", &["trade"], Some("Zoë Åström")),
        ])
        .await;
        // Stored trimmed, with one space for a run of white space; case kept.
        let reply = send(&f, "GET", "/api/articles/odd-tags").await;
        let stored: broadsheet_model::Article = reply.json();
        assert_eq!(stored.tags, ["sea ports", "항구", "a/b?c", "100%", "Trade", "trade"]);
        for tag in &stored.tags {
            let api = Route::tag(tag.clone()).path().replacen("/tag/", "/api/tags/", 1);
            let (listed, _, name) = all_pages(&f, &api, 10).await;
            assert!(listed.contains(&"odd-tags".to_owned()), "{api}");
            assert_eq!(&name, tag, "{api}");
        }
        // Case matters: "Trade" is not "trade".
        let (upper, _, _) = all_pages(&f, "/api/tags/Trade", 10).await;
        assert_eq!(upper, ["odd-tags"]);
        let (lower, _, _) = all_pages(&f, "/api/tags/trade", 10).await;
        assert!(lower.contains(&"odd-tags".to_owned()) && lower.contains(&"plain-tags".to_owned()));
        // The page of a tag with a space, a slash and a question mark, and of a Korean author.
        for (route, title) in [
            (Route::tag("sea ports"), "Tag: sea ports"),
            (Route::tag("a/b?c"), "Tag: a/b?c"),
            (Route::tag("항구"), "Tag: 항구"),
            (Route::author("김민지"), "김민지"),
            (Route::author("zoë-åström"), "Zoë Åström"),
        ] {
            let path = route.path();
            let reply = send(&f, "GET", &path).await;
            assert_eq!(reply.status, StatusCode::OK, "{path}");
            let html = reply.text();
            assert!(html.contains(&format!("<title>{title} — Broadsheet</title>")), "{path}");
            assert!(
                html.contains(&format!(r#"<link rel="canonical" href="http://localhost{path}""#)),
                "{path}: {html}"
            );
            assert!(html.contains(r#"href="/article/odd-tags""#) || html.contains("/article/plain-tags"), "{path}");
        }
    }
}

on_both_stores! {
    #[tokio::test]
    async fn unknown_tags_and_authors_are_404_and_bad_cursors_400() {
        let f = fixture().await;
        for uri in ["/api/tags/no-such-tag", "/api/authors/no-one", "/api/tags/%20"] {
            let reply = send(&f, "GET", uri).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
            let error: ApiError = reply.json();
            assert_eq!(error.error.code, "not_found");
        }
        let reply = send(&f, "GET", "/api/tags/climate?cursor=nonsense").await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        let _: ApiError = reply.json();
        for (uri, title) in [
            ("/tag/no-such-tag", "Tag not found"),
            ("/author/no-one", "Author not found"),
            ("/tag/climate?cursor=nonsense", "Tag not found"),
        ] {
            let reply = send(&f, "GET", uri).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
            assert!(reply.text().contains(&format!("<title>{title} — Broadsheet</title>")), "{uri}");
        }
    }
}

on_both_stores! {
    #[tokio::test]
    async fn the_page_goes_on_by_cursor_links_with_and_without_the_app() {
        let f = fixture().await;
        let slugs: Vec<String> = (0..14).map(|i| format!("paged-{i:02}")).collect();
        let times: Vec<String> = (0..14).map(|i| format!("2026-11-22T10:{i:02}:00Z")).collect();
        let items: Vec<(&str, &str, &[&str], Option<&str>)> = slugs
            .iter()
            .zip(&times)
            .map(|(s, t)| (s.as_str(), t.as_str(), &["paging"] as &[&str], None))
            .collect();
        add(&f, &items).await;
        let first = send(&f, "GET", "/tag/paging").await;
        assert_eq!(first.status, StatusCode::OK);
        let html = first.text();
        // The newest twelve, then a link to the rest (the same the app renders).
        assert!(html.contains(r#"href="/article/paged-13""#) && html.contains(r#"href="/article/paged-02""#));
        assert!(!html.contains(r#"href="/article/paged-01""#));
        let start = html.find(r#"href="/tag/paging?cursor="#).expect("a link to older stories");
        let link = &html[start + 6..];
        let link = &link[..link.find('"').expect("end")];
        // (Pager links by their text: the page's catalogue holds every label.)
        assert!(!html.contains(r#"class="pager__link">Newest stories"#));
        let second = send(&f, "GET", link).await;
        assert_eq!(second.status, StatusCode::OK, "{link}");
        let html = second.text();
        assert!(html.contains(r#"href="/article/paged-01""#) && html.contains(r#"href="/article/paged-00""#));
        assert!(!html.contains(r#"href="/article/paged-02""#));
        assert!(html.contains(r#"<a href="/tag/paging" class="pager__link">Newest stories</a>"#));
        assert!(!html.contains("pager__link--older"), "no older stories");
        // The canonical page is the list's first.
        assert!(html.contains(r#"<link rel="canonical" href="http://localhost/tag/paging""#));
    }
}

on_both_stores! {
    #[tokio::test]
    async fn a_reimport_moves_the_article_between_tags_and_authors() {
        let f = fixture().await;
        add(&f, &[("moving-story", "2026-11-23T07:00:00Z", &["before"], Some("Ana Lima"))]).await;
        let (listed, _, _) = all_pages(&f, "/api/tags/before", 10).await;
        assert_eq!(listed, ["moving-story"]);
        let (listed, _, _) = all_pages(&f, "/api/authors/ana-lima", 10).await;
        assert_eq!(listed, ["moving-story"]);
        add(&f, &[("moving-story", "2026-11-23T07:00:00Z", &["after"], Some("Bo Chen"))]).await;
        for gone in ["/api/tags/before", "/api/authors/ana-lima"] {
            assert_eq!(send(&f, "GET", gone).await.status, StatusCode::NOT_FOUND, "{gone}");
        }
        let (listed, _, _) = all_pages(&f, "/api/tags/after", 10).await;
        assert_eq!(listed, ["moving-story"]);
        let (listed, _, name) = all_pages(&f, "/api/authors/bo-chen", 10).await;
        assert_eq!((listed, name.as_str()), (vec!["moving-story".to_owned()], "Bo Chen"));
        // Without a byline, the article leaves every author's list.
        add(&f, &[("moving-story", "2026-11-23T07:00:00Z", &["after"], None)]).await;
        assert_eq!(send(&f, "GET", "/api/authors/bo-chen").await.status, StatusCode::NOT_FOUND);
    }
}

on_both_stores! {
    #[tokio::test]
    async fn the_article_links_its_tags_and_its_author() {
        let f = fixture().await;
        add(&f, &[("linked-story", "2026-11-24T07:00:00Z", &["sea ports", "항구"], Some("김민지"))]).await;
        let html = send(&f, "GET", "/article/linked-story").await.text();
        assert!(html.contains(r#"<a href="/tag/sea%20ports" class="tag-list__tag">sea ports</a>"#), "{html}");
        assert!(html.contains(r#"href="/tag/%ED%95%AD%EA%B5%AC" class="tag-list__tag">항구</a>"#));
        assert!(html.contains(r#"<a href="/author/%EA%B9%80%EB%AF%BC%EC%A7%80" rel="author" class="story__author">김민지</a>"#));
        // The e-mail link stays.
        assert!(html.contains(r#"href="mailto:desk@broadsheet.example""#));
    }
}

on_both_stores! {
    #[tokio::test]
    async fn tag_and_author_answers_are_cached_as_lists() {
        let f = fixture().await;
        for uri in ["/api/tags/climate", "/api/authors/mina-okafor", "/tag/climate", "/author/mina-okafor"] {
            let reply = send(&f, "GET", uri).await;
            assert_eq!(reply.status, StatusCode::OK, "{uri}");
            assert_eq!(reply.header("surrogate-key"), "lists", "{uri}");
            assert!(reply.cache.starts_with("public"), "{uri}: {}", reply.cache);
        }
    }
}

// Brings an empty database to the version before the authors' (as a server of the previous
// release left it), holds one article by "김 민지" tagged "항구", then opens it as the server
// does: the new version fills the author's slug and the tag's time in.
on_both_stores! {
    #[tokio::test]
    async fn the_authors_version_fills_in_the_articles_already_there() {
        use broadsheet_server::store::migrations::{AUTHOR_SLUGS, VERSIONS};
        use broadsheet_server::store::{ListOf, Store};
        let mut article = demo().into_iter().next().expect("a demo article");
        article.byline = Some(broadsheet_model::Byline { name: "김 민지".into(), email: None });
        let doc = serde_json::to_string(&article).expect("doc").replace('\'', "''");
        let published = article.published_at.unix_seconds();
        let before = VERSIONS.iter().filter(|v| v.number < AUTHOR_SLUGS);
        let rows = format!(
            "INSERT INTO sections (id, slug, name) VALUES (1, 'world', 'World');
             INSERT INTO articles (id, slug, section_id, headline, published_at, doc)
                 VALUES (7, '{}', 1, 'Old', {published}, '{doc}');
             INSERT INTO article_tags (article_id, tag) VALUES (7, '항구');",
            article.slug
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let tag_time = "SELECT published_at FROM article_tags WHERE article_id = 7";
        let (store, tagged): (Box<dyn Store>, Vec<Vec<String>>) = match support::kind() {
            support::Kind::Sqlite => {
                let path = dir.path().join("old.db");
                let mut conn = rusqlite::Connection::open(&path).expect("db");
                let old = rusqlite_migration::Migrations::new(
                    before.map(|v| rusqlite_migration::M::up(v.sqlite)).collect(),
                );
                old.to_latest(&mut conn).expect("old versions");
                conn.execute_batch(&rows).expect("rows");
                drop(conn);
                let opened = broadsheet_server::store::sqlite::SqliteStore::open(&path).expect("open");
                let conn = rusqlite::Connection::open(&path).expect("db");
                let at: i64 = conn.query_row(tag_time, [], |r| r.get(0)).expect("tag row");
                (Box::new(opened.store), vec![vec![at.to_string()]])
            }
            support::Kind::Postgres => {
                let url = support::postgres::shared().database(false);
                let mut sql = "CREATE TABLE schema_versions (version INTEGER PRIMARY KEY);".to_owned();
                for v in before {
                    sql.push_str(v.postgres);
                    sql.push_str(&format!(";INSERT INTO schema_versions VALUES ({});", v.number));
                }
                sql.push_str(&rows);
                support::postgres::query_async(&url, &sql).await;
                let opened = broadsheet_server::store::postgres::PgStore::open(&url, Default::default())
                    .await
                    .expect("open");
                assert!(!opened.created);
                (Box::new(opened.store), support::postgres::query_async(&url, tag_time).await)
            }
        };
        assert_eq!(tagged, [[published.to_string()]]);
        let listing = store
            .listing(&ListOf::Author("김-민지".into()), 5, None)
            .await
            .expect("author")
            .expect("the author's list");
        assert_eq!(listing.name, "김 민지");
        assert_eq!(listing.items[0].slug, article.slug);
        let listing = store
            .listing(&ListOf::Tag("항구".into()), 5, None)
            .await
            .expect("tag")
            .expect("the tag's list");
        assert_eq!(listing.items.len(), 1);
    }
}
