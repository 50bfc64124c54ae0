//! What the server tells caches (`http::caching`): public pages and API reads with lifetimes,
//! strong ETags per encoding and 304s, surrogate keys, and `no-store` on everything that must
//! never be shared.

use crate::support;

use std::io::Read;

use axum::http::StatusCode;
use support::{Reply, demo, fixture, get_with, post_json, send};

const PAGE: &str =
    "public, max-age=5, s-maxage=60, stale-while-revalidate=30, stale-if-error=86400";
const COMMENTS: &str =
    "public, max-age=0, s-maxage=10, stale-while-revalidate=30, stale-if-error=86400";

fn brotli(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(body, 4096)
        .read_to_end(&mut out)
        .expect("brotli");
    out
}

fn gunzip(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(body)
        .read_to_end(&mut out)
        .expect("gzip");
    out
}

on_both_stores! {
    #[tokio::test]
    async fn reads_are_public_with_a_strong_etag_per_encoding() {
        let f = fixture().await;
        let slug = &demo()[0].slug;
        let article = format!("/api/articles/{slug}");
        let page = format!("/article/{slug}");
        for (uri, keys) in [
            (article.as_str(), format!("article:{slug} comments:{slug}")),
            (
                page.as_str(),
                format!("article:{slug} comments:{slug} lists"),
            ),
            ("/", "front lists".to_owned()),
            ("/api/front", "front lists".to_owned()),
            ("/api/sections", "lists".to_owned()),
        ] {
            let plain = get_with(&f, uri, &[]).await;
            let br = get_with(&f, uri, &[("accept-encoding", "gzip, br")]).await;
            let gz = get_with(&f, uri, &[("accept-encoding", "gzip")]).await;
            for reply in [&plain, &br, &gz] {
                assert_eq!(reply.status, StatusCode::OK, "{uri}");
                assert_eq!(reply.cache, PAGE, "{uri}");
                assert_eq!(reply.header("vary"), "Accept-Encoding", "{uri}");
                assert_eq!(reply.header("surrogate-key"), keys, "{uri}");
                assert_eq!(reply.header("cache-tag"), keys.replace(' ', ","), "{uri}");
            }
            assert_eq!(br.header("content-encoding"), "br", "{uri}");
            assert_eq!(gz.header("content-encoding"), "gzip", "{uri}");
            assert_eq!(brotli(&br.body), plain.body, "{uri}");
            assert_eq!(gunzip(&gz.body), plain.body, "{uri}");
            // One tag per representation: the same bytes, a different encoding, a different tag.
            let tag = plain.header("etag");
            assert!(tag.starts_with('"') && tag.len() == 34, "{uri}: {tag}");
            assert_eq!(br.header("etag"), format!("{}-br\"", &tag[..33]), "{uri}");
            assert_eq!(gz.header("etag"), format!("{}-gz\"", &tag[..33]), "{uri}");

            // Revalidation: the matching tag gets 304 and no body; another encoding's tag does not.
            let again = get_with(
                &f,
                uri,
                &[
                    ("accept-encoding", "br"),
                    ("if-none-match", &br.header("etag")),
                ],
            )
            .await;
            assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{uri}");
            assert!(again.body.is_empty(), "{uri}");
            assert_eq!(again.header("etag"), br.header("etag"), "{uri}");
            assert_eq!(again.cache, PAGE, "{uri}");
            let other = get_with(
                &f,
                uri,
                &[
                    ("accept-encoding", "br"),
                    ("if-none-match", &plain.header("etag")),
                ],
            )
            .await;
            assert_eq!(other.status, StatusCode::OK, "{uri}");
        }
    }
}

on_both_stores! {
    #[tokio::test]
    async fn a_new_comment_changes_the_tag_and_comment_lists_are_revalidated_by_browsers() {
        let f = fixture().await;
        let slug = &demo()[0].slug;
        let uri = format!("/api/articles/{slug}/comments");
        let before = send(&f, "GET", &uri).await;
        assert_eq!(before.cache, COMMENTS);
        assert_eq!(before.header("surrogate-key"), format!("comments:{slug}"));
        let posted = post_json(
            &f,
            &uri,
            &serde_json::json!({
                "nickname": "Tagger",
                "body": "A new version.",
                "idempotency_key": "caching-etag-key-0001",
            }),
        )
        .await;
        assert_eq!(posted.status, StatusCode::CREATED);
        assert_eq!(posted.cache, "no-store");
        let after = get_with(&f, &uri, &[("if-none-match", &before.header("etag"))]).await;
        assert_eq!(
            after.status,
            StatusCode::OK,
            "the old tag no longer matches"
        );
        assert_ne!(after.header("etag"), before.header("etag"));
    }
}

on_both_stores! {
    #[tokio::test]
    async fn what_must_not_be_shared_is_no_store() {
        let f = fixture().await;
        let slug = &demo()[0].slug;
        let refused: Vec<Reply> = vec![
            send(&f, "GET", "/api/articles/no-such-story").await,
            send(&f, "GET", "/article/no-such-story").await,
            send(&f, "GET", "/api/articles?cursor=nonsense").await,
            send(&f, "GET", "/api/no-such-endpoint").await,
            post_json(
                &f,
                &format!("/api/articles/{slug}/comments"),
                &serde_json::json!({}),
            )
            .await,
            support::post_view(&f, slug, [127, 0, 0, 1], support::BROWSER).await,
            support::get_from_host(&f, "/", "evil.example").await,
        ];
        for reply in refused {
            assert_eq!(reply.cache, "no-store", "{}", reply.status);
            assert_eq!(reply.header("surrogate-key"), "", "{}", reply.status);
            assert_eq!(reply.header("etag"), "", "{}", reply.status);
        }
    }
}

on_both_stores! {
    #[tokio::test]
    async fn built_files_keep_their_own_rules() {
        let f = fixture().await;
        let asset = send(&f, "GET", "/broadsheet-0123456789abcdef.js").await;
        assert_eq!(asset.cache, "public, max-age=31536000, immutable");
        assert_eq!(asset.header("surrogate-key"), "");
        let worker = send(&f, "GET", "/sw.js").await;
        assert_eq!(worker.cache, "no-cache");
    }
}
