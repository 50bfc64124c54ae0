//! The headers every kind of response carries (issue: hardening).

use crate::support;

use axum::http::{StatusCode, header};
use base64::Engine;
use sha2::{Digest, Sha256};
use support::{Reply, fixture, get_with, post_json, send};

fn directives(reply: &Reply) -> Vec<String> {
    reply
        .header(header::CONTENT_SECURITY_POLICY)
        .split(';')
        .map(|d| d.trim().to_owned())
        .collect()
}

on_both_stores! {
    #[tokio::test]
    async fn every_response_has_a_strict_policy_and_the_safety_headers() {
        let f = fixture().await;
        let slug = &support::demo()[0].slug;
        let boot_hash = format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(support::BOOT))
        );
        let style_hash = format!(
            "'sha256-{}' 'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(support::STYLE)),
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(support::FRONTS_STYLE))
        );
        let replies = [
            send(&f, "GET", "/").await,
            send(&f, "GET", &format!("/article/{slug}")).await,
            send(&f, "GET", "/no/such/page").await,
            send(&f, "GET", &format!("/embed/article/{slug}")).await,
            send(&f, "GET", "/api/sections").await,
            send(&f, "GET", "/api/articles/no-such-story").await,
            send(&f, "GET", "/broadsheet-0123456789abcdef.js").await,
            send(&f, "GET", "/media/a.svg").await,
            send(&f, "GET", "/missing.css").await,
            send(&f, "GET", "/sw.js").await,
            post_json(
                &f,
                &format!("/api/articles/{slug}/comments"),
                &serde_json::json!({}),
            )
            .await,
        ];
        for (i, reply) in replies.iter().enumerate() {
            let csp = directives(reply);
            let script_src = csp
                .iter()
                .find(|d| d.starts_with("script-src "))
                .unwrap_or_else(|| panic!("reply {i}: no script-src in {csp:?}"));
            assert_eq!(
                script_src,
                &format!("script-src 'self' 'wasm-unsafe-eval' {boot_hash}"),
                "reply {i}"
            );
            // The page's inline style sheet and the fronts' part of it, by the hashes of what the
            // server was given.
            assert!(
                csp.iter().any(|d| d == &format!("style-src 'self' {style_hash}")),
                "reply {i}: the style sheet's hash in {csp:?}"
            );
            for needed in [
                "default-src 'self'",
                "object-src 'none'",
                "base-uri 'none'",
                "form-action 'self'",
            ] {
                assert!(
                    csp.iter().any(|d| d == needed),
                    "reply {i}: {needed} in {csp:?}"
                );
            }
            let all = csp.join(";");
            assert!(
                !all.contains("unsafe-inline") && !all.contains("'unsafe-eval'"),
                "reply {i}"
            );
            assert_eq!(
                reply.header(header::X_CONTENT_TYPE_OPTIONS),
                "nosniff",
                "reply {i}"
            );
            assert_eq!(
                reply.header(header::REFERRER_POLICY),
                "strict-origin-when-cross-origin",
                "reply {i}"
            );
            let permissions = reply.header("permissions-policy");
            assert!(
                permissions.contains("camera=()") && permissions.contains("geolocation=()"),
                "reply {i}"
            );
            // Plain HTTP: no HSTS (a browser would ignore it, and a local run must not pin it).
            assert_eq!(
                reply.header(header::STRICT_TRANSPORT_SECURITY),
                "",
                "reply {i}"
            );
        }
        assert_eq!(replies[0].status, StatusCode::OK);
        assert!(replies[10].status.is_client_error());
    }
}

on_both_stores! {
    #[tokio::test]
    async fn hsts_is_sent_over_https_only() {
        let f = fixture().await;
        let proxied = get_with(&f, "/", &[("x-forwarded-proto", "https")]).await;
        assert_eq!(
            proxied.header(header::STRICT_TRANSPORT_SECURITY),
            "max-age=63072000; includeSubDomains"
        );
        let mut f = fixture().await;
        f.state = f
            .state
            .clone()
            .with_public_url(Some("https://news.example".into()));
        let reply = send(&f, "GET", "/api/sections").await;
        assert_eq!(
            reply.header(header::STRICT_TRANSPORT_SECURITY),
            "max-age=63072000; includeSubDomains"
        );
    }
}

on_both_stores! {
    #[tokio::test]
    async fn a_fronts_page_carries_the_fronts_css_and_its_lead_picture_inside() {
        let f = fixture().await;
        let page = |reply: &Reply| String::from_utf8_lossy(&reply.body).into_owned();
        let fronts = format!("<style id=broadsheet-fronts-style>{}</style>", support::FRONTS_STYLE);
        let whole = format!("<style id=broadsheet-style>{}</style>", support::STYLE);
        let home = page(&send(&f, "GET", "/").await);
        assert!(home.contains(&fronts) && !home.contains(&whole), "{home}");
        // The lead picture, from inside the page; the data carries the same URL for the app.
        let lead = f.state.store.front(4).await.expect("the front").lead.expect("a lead");
        let src = lead.image.expect("the lead's picture").src;
        let url = f.state.pictures.0.get(&src).expect("a demo picture comes inside").clone();
        assert!(url.starts_with("data:image/svg+xml,"), "{url}");
        assert!(home.contains(&format!("src=\"{url}\"")), "{home}");
        assert!(home.contains(&format!("\"pictures\":{{\"{src}\":\"{url}\"}}")), "{home}");
        assert!(!home.contains(&format!("src=\"{src}\"")), "{home}");
        // An article's page, with its picture from its address, and a page without a first
        // screen (a missing section: the app's) carry the whole.
        let article = support::demo().into_iter().find(|a| a.image.is_some()).expect("an article with a picture");
        let own = page(&send(&f, "GET", &format!("/article/{}", article.slug)).await);
        assert!(own.contains(&whole) && !own.contains("fronts-style"), "{own}");
        assert!(own.contains(&format!("src=\"{}\"", article.image.expect("a picture").src)), "{own}");
        assert!(!own.contains("src=\"data:"), "{own}");
        let missing = send(&f, "GET", "/section/no-such-section").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        let missing = page(&missing);
        assert!(missing.contains(&whole) && !missing.contains("fronts-style"), "{missing}");
    }
}
