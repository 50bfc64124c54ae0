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
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(support::STYLE))
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
            // The page's one inline style sheet, by the hash of the page the server was given.
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
