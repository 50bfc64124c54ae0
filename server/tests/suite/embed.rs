//! Embedding: oEmbed answers, and who may frame which page.

use crate::support;

use axum::http::{StatusCode, header};
use broadsheet_server::embed::{OEmbed, parse_origin};

async fn get(f: &support::Fixture, uri: &str) -> support::Reply {
    support::get_from_host(f, uri, "news.example").await
}

fn enc(s: &str) -> String {
    s.replace(':', "%3A").replace('/', "%2F")
}

on_both_stores! {
    #[tokio::test]
    async fn oembed_answers_a_rich_embed_for_an_article_of_this_site() {
        let f = support::fixture().await;
        let article = &support::demo()[0];
        let url = format!("http://news.example/article/{}", article.slug);
        let reply = get(&f, &format!("/oembed?url={}&format=json", enc(&url))).await;
        assert_eq!(reply.status, StatusCode::OK);
        let o: OEmbed = serde_json::from_slice(&reply.body).expect("oEmbed JSON");
        assert_eq!((o.version.as_str(), o.kind.as_str()), ("1.0", "rich"));
        assert_eq!(o.title, article.headline);
        assert_eq!(
            o.author_name.as_deref(),
            article.byline.as_ref().map(|b| b.name.as_str())
        );
        assert_eq!(o.provider_name, "Broadsheet");
        assert_eq!(o.provider_url, "http://news.example/");
        assert_eq!((o.width, o.height), (640, 420));
        assert!(
            o.html.starts_with(&format!(
                "<iframe src=\"http://news.example/embed/article/{}\" width=\"640\" height=\"420\"",
                article.slug
            )),
            "{}",
            o.html
        );
        assert!(o.html.contains("sandbox=\""));
        assert!(
            o.thumbnail_url
                .is_some_and(|t| t.starts_with("http://news.example/media/"))
        );
    }
}

on_both_stores! {
    #[tokio::test]
    async fn oembed_respects_maxwidth_and_maxheight() {
        let f = support::fixture().await;
        let url = format!("http://news.example/article/{}", support::demo()[0].slug);
        let o: OEmbed = serde_json::from_slice(
            &get(
                &f,
                &format!("/oembed?url={}&maxwidth=300&maxheight=250", enc(&url)),
            )
            .await
            .body,
        )
        .expect("json");
        assert_eq!((o.width, o.height), (300, 250));
        assert!(o.html.contains("width=\"300\" height=\"250\""));
        // Larger limits than the card never make it larger.
        let o: OEmbed = serde_json::from_slice(
            &get(
                &f,
                &format!("/oembed?url={}&maxwidth=5000&maxheight=9000", enc(&url)),
            )
            .await
            .body,
        )
        .expect("json");
        assert_eq!((o.width, o.height), (640, 420));
        let reply = get(&f, &format!("/oembed?url={}&maxwidth=wide", enc(&url))).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    }
}

on_both_stores! {
    #[tokio::test]
    async fn oembed_refuses_unknown_and_foreign_urls_and_xml() {
        let f = support::fixture().await;
        let slug = &support::demo()[0].slug;
        for url in [
            "http://news.example/article/no-such-story".to_owned(),
            format!("http://evil.example/article/{slug}"),
            format!("http://news.example.evil.example/article/{slug}"),
            "http://news.example/section/world".to_owned(),
            "javascript:alert(1)".to_owned(),
        ] {
            let reply = get(&f, &format!("/oembed?url={}&format=json", enc(&url))).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{url}");
        }
        assert_eq!(get(&f, "/oembed").await.status, StatusCode::NOT_FOUND);
        let url = format!("http://news.example/article/{slug}");
        let reply = get(&f, &format!("/oembed?url={}&format=xml", enc(&url))).await;
        assert_eq!(reply.status, StatusCode::NOT_IMPLEMENTED);
    }
}

/// The `frame-ancestors` directive of a Content-Security-Policy.
fn frame_ancestors(csp: &str) -> String {
    csp.split(';')
        .map(str::trim)
        .find(|d| d.starts_with("frame-ancestors"))
        .unwrap_or("")
        .to_owned()
}

on_both_stores! {
    #[tokio::test]
    async fn only_embed_pages_may_be_framed() {
        let f = support::fixture().await;
        let slug = &support::demo()[0].slug;
        let embed = get(&f, &format!("/embed/article/{slug}")).await;
        assert_eq!(embed.status, StatusCode::OK);
        assert_eq!(
            frame_ancestors(&embed.header(header::CONTENT_SECURITY_POLICY)),
            "frame-ancestors *"
        );
        assert_eq!(embed.header(header::X_FRAME_OPTIONS), "");
        for uri in [
            format!("/article/{slug}"),
            "/".to_owned(),
            "/section/world".to_owned(),
            "/nope".to_owned(),
        ] {
            let page = get(&f, &uri).await;
            assert_eq!(
                frame_ancestors(&page.header(header::CONTENT_SECURITY_POLICY)),
                "frame-ancestors 'none'",
                "{uri}"
            );
            assert_eq!(page.header(header::X_FRAME_OPTIONS), "DENY", "{uri}");
        }
        assert_eq!(
            frame_ancestors(
                &get(&f, "/api/sections")
                    .await
                    .header(header::CONTENT_SECURITY_POLICY)
            ),
            "frame-ancestors 'none'"
        );
        assert_eq!(
            get(&f, "/embed/article/no-such-story").await.status,
            StatusCode::NOT_FOUND
        );
    }
}

on_both_stores! {
    #[tokio::test]
    async fn a_partner_list_limits_who_may_frame_embeds() {
        let mut f = support::fixture().await;
        f.state = f.state.clone().with_embed_partners(vec![
            "https://partner.example".into(),
            "http://localhost:3000".into(),
        ]);
        let slug = &support::demo()[0].slug;
        let embed = get(&f, &format!("/embed/article/{slug}")).await;
        assert_eq!(
            frame_ancestors(&embed.header(header::CONTENT_SECURITY_POLICY)),
            "frame-ancestors https://partner.example http://localhost:3000"
        );
        assert_eq!(
            frame_ancestors(
                &get(&f, &format!("/article/{slug}"))
                    .await
                    .header(header::CONTENT_SECURITY_POLICY)
            ),
            "frame-ancestors 'none'"
        );
    }
}

#[test]
fn partner_origins_are_checked() {
    assert_eq!(
        parse_origin("https://partner.example/").as_deref(),
        Ok("https://partner.example")
    );
    assert_eq!(
        parse_origin("http://127.0.0.1:8081").as_deref(),
        Ok("http://127.0.0.1:8081")
    );
    for bad in [
        "partner.example",
        "https://p.example/path",
        "ftp://p.example",
        "https://",
        "https://a b",
    ] {
        assert!(parse_origin(bad).is_err(), "{bad}");
    }
}
