//! The server through its router, on a real SQLite file.

use crate::support;

use axum::http::StatusCode;
use broadsheet_model::{ApiError, Article, ArticleSummary, Page};
use broadsheet_server::{DEMO_ARTICLES, import};
use support::{BROWSER, Reply, fixture, get_with, post_view, send};

fn demo() -> Vec<Article> {
    support::demo()
}

on_both_stores! {
    #[tokio::test]
    async fn an_article_is_served_as_the_contract_says() {
        let f = fixture().await;
        let expected = demo().into_iter().next().expect("a demo article");
        let reply = send(&f, "GET", &format!("/api/articles/{}", expected.slug)).await;
        assert_eq!(reply.status, StatusCode::OK);
        let article: Article = reply.json();
        assert_eq!(article, expected);
    }
}

on_both_stores! {
    #[tokio::test]
    async fn an_unknown_slug_is_a_json_404() {
        let f = fixture().await;
        for uri in [
            "/api/articles/no-such-story",
            "/api/articles/NOT%20A%20SLUG",
            "/api/nothing-here",
        ] {
            let reply = send(&f, "GET", uri).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
            let error: ApiError = reply.json();
            assert_eq!(error.error.code, "not_found");
        }
    }
}

on_both_stores! {
    #[tokio::test]
    async fn the_list_pages_through_every_article_newest_first() {
        let f = fixture().await;
        let mut seen = Vec::new();
        let mut uri = "/api/articles?limit=5".to_owned();
        loop {
            let reply = send(&f, "GET", &uri).await;
            assert_eq!(reply.status, StatusCode::OK);
            let page: Page<ArticleSummary> = reply.json();
            assert!(page.items.len() <= 5);
            seen.extend(page.items);
            match page.next_cursor {
                Some(c) => uri = format!("/api/articles?limit=5&cursor={c}"),
                None => break,
            }
        }
        let mut expected = demo();
        expected.sort_by_key(|a| std::cmp::Reverse(a.published_at));
        let seen: Vec<_> = seen.iter().map(|s| s.slug.as_str()).collect();
        let expected: Vec<_> = expected.iter().map(|a| a.slug.as_str()).collect();
        assert_eq!(seen, expected);
    }
}

on_both_stores! {
    #[tokio::test]
    async fn sections_and_a_section_list() {
        let f = fixture().await;
        let sections: Vec<broadsheet_model::Section> = send(&f, "GET", "/api/sections").await.json();
        let names: Vec<_> = sections.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["World", "Business", "Science", "Culture", "Sport"]);
        let page: Page<ArticleSummary> = send(&f, "GET", "/api/articles?section=science")
            .await
            .json();
        let expected = demo()
            .iter()
            .filter(|a| a.section.slug == "science")
            .count();
        assert_eq!(page.items.len(), expected);
        assert!(page.items.iter().all(|a| a.section.slug == "science"));
        let reply = send(&f, "GET", "/api/articles?section=astrology").await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    }
}

on_both_stores! {
    #[tokio::test]
    async fn bad_list_parameters_are_400() {
        let f = fixture().await;
        for uri in [
            "/api/articles?limit=0",
            "/api/articles?limit=51",
            "/api/articles?limit=x",
            "/api/articles?cursor=abc",
        ] {
            let reply = send(&f, "GET", uri).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{uri}");
            assert_eq!(reply.json::<ApiError>().error.code, "bad_request");
        }
    }
}

on_both_stores! {
    #[tokio::test]
    async fn a_view_is_counted_by_post_and_never_by_get() {
        let f = fixture().await;
        let slug = &demo()[0].slug;
        let views = |r: Reply| r.json::<Article>().views;
        let before = views(send(&f, "GET", &format!("/api/articles/{slug}")).await);
        let again = views(send(&f, "GET", &format!("/api/articles/{slug}")).await);
        assert_eq!(before, again, "GET must not count a view");
        let reply = post_view(&f, slug, [127, 0, 0, 1], BROWSER).await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT);
        // Counted views are written in batches (every second, and at a stop).
        f.state.write_views().await;
        let after = views(send(&f, "GET", &format!("/api/articles/{slug}")).await);
        assert_eq!(after, before + 1);
        let reply = post_view(&f, "no-such-story", [127, 0, 0, 1], BROWSER).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    }
}

on_both_stores! {
    #[tokio::test]
    async fn app_routes_get_index_html_and_missing_assets_get_a_plain_404() {
        let f = fixture().await;
        let slug = &demo()[0].slug;
        for (uri, status) in [
            ("/", StatusCode::OK),
            (&*format!("/article/{slug}"), StatusCode::OK),
            ("/article/no-such-story", StatusCode::NOT_FOUND),
            ("/section/science", StatusCode::OK),
            ("/section/astrology", StatusCode::NOT_FOUND),
            ("/no/such/page", StatusCode::NOT_FOUND),
        ] {
            let reply = send(&f, "GET", uri).await;
            assert_eq!(reply.status, status, "{uri}");
            assert!(reply.content_type.starts_with("text/html"), "{uri}");
            assert!(reply.text().starts_with("<!doctype html><title>"), "{uri}");
            assert!(reply.text().contains(" — Broadsheet</title>"), "{uri}");
            // Pages may be kept by a shared cache; errors never (`http::caching`).
            let expected = if status == StatusCode::OK {
                "public, max-age=5, s-maxage=60, stale-while-revalidate=30, stale-if-error=86400"
            } else {
                "no-store"
            };
            assert_eq!(reply.cache, expected, "{uri}");
        }
        for uri in [
            "/broadsheet-ffffffffffffffff.js",
            "/media/missing.svg",
            "/style.css",
        ] {
            let reply = send(&f, "GET", uri).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
            assert!(
                reply.content_type.starts_with("text/plain"),
                "{uri}: {}",
                reply.content_type
            );
            assert!(!reply.text().contains("<title>"), "{uri}");
        }
        let reply = send(&f, "GET", "/broadsheet-0123456789abcdef.js").await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.text(), "export {}");
        assert!(reply.cache.contains("immutable"), "{}", reply.cache);
        let reply = send(&f, "GET", "/media/a.svg").await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(!reply.cache.contains("immutable"));
    }
}

on_both_stores! {
    /// A precompressed twin written by the build is sent as it is, to a browser that accepts it.
    #[tokio::test]
    async fn precompressed_assets_are_sent_with_their_encoding() {
        let f = fixture().await;
        let js = "/broadsheet-0123456789abcdef.js";
        let twin = b"brotli bytes written by the build".to_vec();
        std::fs::write(f.state.dist.join(&js[1..]).with_extension("js.br"), &twin).expect("twin");
        let reply = get_with(&f, js, &[("accept-encoding", "br, gzip")]).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.header("content-encoding"), "br");
        assert_eq!(reply.body, twin);
        assert!(
            reply.content_type.contains("javascript"),
            "{}",
            reply.content_type
        );
        assert!(reply.cache.contains("immutable"));
        // Without `br` in Accept-Encoding, the file itself.
        let plain = get_with(&f, js, &[("accept-encoding", "identity")]).await;
        assert_eq!(plain.header("content-encoding"), "");
        assert_eq!(plain.text(), "export {}");
    }
}

on_both_stores! {
    /// The worker and the HTML are always sent whole: a 304 by modification time (whole seconds)
    /// would keep a browser on the previous deploy's worker if the new one was written in the same
    /// second. Other files may be revalidated.
    #[tokio::test]
    async fn the_worker_and_the_html_are_never_revalidated_by_time() {
        let f = fixture().await;
        let future = "Fri, 01 Jan 2100 00:00:00 GMT";
        for uri in ["/sw.js", "/index.html"] {
            let reply = get_with(&f, uri, &[("if-modified-since", future)]).await;
            assert_eq!(reply.status, StatusCode::OK, "{uri}");
            assert!(!reply.body.is_empty(), "{uri}");
            assert_eq!(reply.cache, "no-cache", "{uri}");
            assert_eq!(reply.header("last-modified"), "", "{uri}");
        }
        let reply = get_with(&f, "/media/a.svg", &[("if-modified-since", future)]).await;
        assert_eq!(reply.status, StatusCode::NOT_MODIFIED);
    }
}

async fn snapshot(db: &support::TestDb) -> Vec<Vec<String>> {
    db.rows("SELECT slug, doc, views FROM articles ORDER BY slug")
        .await
}

on_both_stores! {
    #[tokio::test]
    async fn a_bad_import_names_each_problem_and_changes_nothing() {
        let f = fixture().await;
        let before = snapshot(&f.db).await;
        let mut articles: Vec<serde_json::Value> = serde_json::from_str(DEMO_ARTICLES).expect("json");
        // A valid update of an existing article, then three broken ones.
        articles[0]["headline"] = "A changed headline".into();
        articles[1]["published_at"] = "last Tuesday".into();
        articles[2]["body"][0] = serde_json::json!({"type": "hologram"});
        articles[3]["slug"] = articles[0]["slug"].clone();
        let err = import::import(&*f.db, &serde_json::to_string(&articles).expect("json"))
            .await
            .expect_err("must fail");
        let message = err.to_string();
        assert!(message.contains("[1].published_at"), "{message}");
        assert!(
            message.contains("[2].body[0]: unknown block type \"hologram\""),
            "{message}"
        );
        assert!(message.contains("[3].slug"), "{message}");
        assert_eq!(
            snapshot(&f.db).await,
            before,
            "a failed import must change nothing"
        );

        for not_json in ["", "{", "{\"slug\": 1}", "[1, 2]"] {
            assert!(import::import(&*f.db, not_json).await.is_err());
        }
        assert_eq!(snapshot(&f.db).await, before);
    }
}

on_both_stores! {
    #[tokio::test]
    async fn importing_a_slug_again_updates_it() {
        let f = fixture().await;
        let mut article = serde_json::to_value(&demo()[0]).expect("json");
        article["headline"] = "Harbours agree, again".into();
        article["views"] = 7.into();
        article["section"] = serde_json::json!({"slug": "coasts", "name": "Coasts"});
        let n = import::import(&*f.db, &serde_json::to_string(&[article]).expect("json"))
            .await
            .expect("imports");
        assert_eq!(
            n,
            broadsheet_server::store::Imported {
                created: 0,
                updated: 1
            }
        );
        assert_eq!(
            f.db.article_count().await.expect("count") as usize,
            demo().len()
        );
        let stored =
            f.db.article(&demo()[0].slug)
                .await
                .expect("query")
                .expect("exists");
        assert_eq!(stored.headline, "Harbours agree, again");
        assert_eq!(stored.views, 7);
        assert_eq!(stored.section.name, "Coasts");
    }
}

#[test]
fn the_demo_content_is_rich_enough() {
    let articles = demo();
    assert!(articles.len() >= 12);
    let sections: std::collections::HashSet<_> = articles.iter().map(|a| &a.section.slug).collect();
    assert!(sections.len() >= 4);
    let kinds: std::collections::HashSet<_> = articles
        .iter()
        .flat_map(|a| a.body.blocks.iter().map(|b| b.kind()))
        .collect();
    assert_eq!(kinds.len(), 5, "every block type: {kinds:?}");
    for a in &articles {
        assert!(a.validate().is_empty(), "{}: {:?}", a.slug, a.validate());
    }
}

on_both_stores! {
    /// The article endpoint answers from memory; whatever changes an article reaches readers anyway:
    /// at once when it came through the server, within the cache's time to live when another process
    /// (the CLI) changed the database file.
    #[tokio::test]
    async fn a_changed_article_is_not_served_stale() {
        use broadsheet_server::cache::TIME_TO_LIVE;
        let f = fixture().await;
        let mut article = demo().into_iter().next().expect("a demo article");
        let uri = format!("/api/articles/{}", article.slug);
        let first = send(&f, "GET", &uri).await;
        assert_eq!(first.header("content-type"), "application/json");
        let count = first.json::<Article>().comment_count;

        let comment = serde_json::json!({
            "nickname": "Reader",
            "body": "Counted at once.",
            "idempotency_key": "cache-test-key-0001",
        });
        let posted = support::post_json(&f, &format!("{uri}/comments"), &comment).await;
        assert_eq!(posted.status, StatusCode::CREATED);
        assert_eq!(
            send(&f, "GET", &uri).await.json::<Article>().comment_count,
            count + 1,
            "a comment posted here counts on the next read"
        );

        // As `broadsheet-server import` would, from outside the server.
        article.headline = "Harbours agree, after all".into();
        let changed = serde_json::to_string(&[&article]).expect("json");
        import::import(&*f.db, &changed).await.expect("imports");
        tokio::time::sleep(TIME_TO_LIVE + std::time::Duration::from_millis(200)).await;
        assert_eq!(
            send(&f, "GET", &uri).await.json::<Article>().headline,
            "Harbours agree, after all"
        );

        // A missing article is not remembered: imported, it is there on the next read.
        let absent = "/api/articles/a-story-imported-later";
        assert_eq!(send(&f, "GET", absent).await.status, StatusCode::NOT_FOUND);
        article.slug = "a-story-imported-later".into();
        let new = serde_json::to_string(&[&article]).expect("json");
        import::import(&*f.db, &new).await.expect("imports");
        assert_eq!(send(&f, "GET", absent).await.status, StatusCode::OK);
    }
}
