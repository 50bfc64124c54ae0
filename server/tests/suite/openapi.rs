//! `GET /api/openapi.json` against the server it describes: every route the router serves is in
//! the document with exactly the methods it answers, and no other; the error answers have the
//! API's shape; and the patterns the document publishes say what the validators say.

use crate::support;

use std::collections::BTreeSet;
use std::sync::LazyLock;

use axum::http::StatusCode;
use broadsheet_model::{
    BODY_MAX, NICKNAME_MAX, body_problem, is_valid_idempotency_key, is_valid_slug, nickname_problem,
};
use broadsheet_server::http::extract::{DEFAULT_PAGE, MAX_PAGE};
use proptest::prelude::*;
use serde_json::Value;
use support::{fixture, send};

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// The paths the router routes, read from its `Debug` form: axum lists each route's path there
/// (`Node { paths: {RouteId(n): "/api/…"} }`), and offers no other way to list them. Should a
/// new axum print them otherwise, this finds none and the test says so.
fn routed_paths(router: &axum::Router) -> BTreeSet<String> {
    let debug = format!("{router:?}");
    // The routes proper; the fallback router after them holds only the nested fallbacks.
    let routes = debug
        .split_once("fallback_router:")
        .map_or(debug.as_str(), |(routes, _)| routes);
    let path = regex::Regex::new(r#"RouteId\(\d+\): "([^"]*)""#).expect("regex");
    let paths: BTreeSet<String> = path
        .captures_iter(routes)
        .map(|c| c[1].to_owned())
        // What `nest` adds for itself, not a route of ours.
        .filter(|p| !p.contains("__private__axum"))
        .collect();
    assert!(
        !paths.is_empty(),
        "no routes found in the router's Debug form: {debug:.400}"
    );
    paths
}

async fn document() -> Value {
    let f = fixture().await;
    let reply = send(&f, "GET", "/api/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    reply.json()
}

on_both_stores! {
    #[tokio::test]
    async fn the_document_lists_exactly_the_routes_the_router_serves() {
        let f = fixture().await;
        let doc: Value = send(&f, "GET", "/api/openapi.json").await.json();
        let documented: BTreeSet<String> = doc["paths"]
            .as_object()
            .expect("paths")
            .iter()
            .flat_map(|(path, item)| {
                METHODS
                    .iter()
                    .filter(|m| item.get(m.to_lowercase()).is_some())
                    .map(move |m| format!("{m} {path}"))
            })
            .collect();

        // The API's routes (pages are the router's fallback, not routes).
        let paths: Vec<String> = routed_paths(&broadsheet_server::app(f.state.clone()))
            .into_iter()
            .filter(|p| p.starts_with("/api/") || p == "/oembed")
            .collect();
        let slug = support::demo()[0].slug.clone();
        let mut routed = BTreeSet::new();
        for path in &paths {
            let uri = path.replace("{slug}", &slug).replace("{id}", "1");
            for method in METHODS {
                // A path the router knows answers a method it does not route with 405.
                if send(&f, method, &uri).await.status != StatusCode::METHOD_NOT_ALLOWED {
                    routed.insert(format!("{method} {path}"));
                }
            }
        }
        assert!(routed.contains("GET /api/articles/{slug}"), "{routed:?}");
        assert_eq!(
            routed, documented,
            "the router serves (left) what the document lists (right)"
        );
    }
}

on_both_stores! {
    #[tokio::test]
    async fn the_document_is_openapi_3_1_with_the_apis_error_shape() {
        let doc = document().await;
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(
            doc,
            serde_json::to_value(broadsheet_server::openapi()).expect("json")
        );
        let error = "#/components/schemas/ApiError";
        assert!(doc["components"]["schemas"]["ApiError"].is_object());
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("item") {
                let responses = operation["responses"].as_object().expect("responses");
                for status in ["500", "503"] {
                    assert!(responses.contains_key(status), "{method} {path}: {status}");
                }
                assert_eq!(
                    responses.contains_key("304"),
                    method == "get",
                    "{method} {path}: 304 is a read's"
                );
                for (status, response) in responses {
                    let schema = &response["content"]["application/json"]["schema"]["$ref"];
                    if status.starts_with('4') || status == "500" || status == "501" {
                        assert_eq!(schema, error, "{method} {path}: {status}");
                    }
                }
            }
        }
        let post = &doc["paths"]["/api/articles/{slug}/comments"]["post"]["responses"];
        for status in ["201", "400", "404", "413", "422", "429"] {
            assert!(post[status].is_object(), "POST comments: {status}");
        }
        assert!(post["429"]["headers"]["Retry-After"].is_object());
        let limit = doc["paths"]["/api/articles"]["get"]["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .find(|p| p["name"] == "limit")
            .expect("limit")
            .clone();
        assert_eq!(limit["schema"]["minimum"], 1);
        assert_eq!(limit["schema"]["maximum"], MAX_PAGE);
        assert!(
            limit["description"]
                .as_str()
                .is_some_and(|d| d.contains(&format!("default {DEFAULT_PAGE}")))
        );
    }
}

on_both_stores! {
    #[tokio::test]
    async fn every_error_the_api_answers_is_json() {
        let f = fixture().await;
        let slug = support::demo()[0].slug.clone();
        for uri in [
            "/api/articles?limit=1&limit=2".to_owned(),
            format!("/api/articles/{slug}/comments?cursor=1&cursor=2"),
            "/oembed?maxwidth=1&maxwidth=2".to_owned(),
            format!("/api/articles/{slug}/comments/99999999999999999999/report"),
        ] {
            let method = if uri.ends_with("report") {
                "POST"
            } else {
                "GET"
            };
            let reply = send(&f, method, &uri).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{uri}");
            let body: broadsheet_model::ApiError = reply.json();
            assert_eq!(body.error.code, "bad_request", "{uri}");
        }
    }
}

/// The patterns the document gives for a slug, an idempotency key, a nickname and a body.
struct Patterns {
    slug: regex::Regex,
    key: regex::Regex,
    nickname: regex::Regex,
    body: regex::Regex,
}

static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| {
    let doc = serde_json::to_value(broadsheet_server::openapi()).expect("json");
    let regex = |v: &Value| regex::Regex::new(v.as_str().expect("a pattern")).expect("valid");
    let new_comment = &doc["components"]["schemas"]["NewComment"]["properties"];
    let slug =
        doc["paths"]["/api/articles/{slug}"]["get"]["parameters"][0]["schema"]["pattern"].clone();
    Patterns {
        slug: regex(&slug),
        key: regex(&new_comment["idempotency_key"]["pattern"]),
        nickname: regex(&new_comment["nickname"]["pattern"]),
        body: regex(&new_comment["body"]["pattern"]),
    }
});

/// Characters at the edges of the rules: white space that trimming removes (some of it control
/// characters), control characters that it does not, and look-alikes that are neither.
fn tricky() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::sample::select(vec![
            ' ', '\t', '\n', '\r', '\u{b}', '\u{c}', '\u{85}', '\u{a0}', '\u{1680}', '\u{2000}',
            '\u{200a}', '\u{2028}', '\u{2029}', '\u{202f}', '\u{205f}', '\u{3000}', '\0', '\u{1b}',
            '\u{1c}', '\u{1f}', '\u{7f}', '\u{9f}', '\u{180e}', '\u{200b}', '\u{feff}', '\u{301}',
            'a', 'Z', '0', '-', '_', 'é', '한', '👩',
        ]),
        any::<char>(),
    ]
}

#[test]
fn slug_and_key_patterns_hold_at_their_bounds() {
    let p = &*PATTERNS;
    for n in [0, 1, 2, 15, 16, 17, 63, 64, 65, 119, 120, 121] {
        for s in [
            "a".repeat(n),
            format!("-{}", "a".repeat(n)),
            format!("{}-", "a".repeat(n)),
            format!("a{}a", "-".repeat(n)),
            "A_".repeat(n / 2 + n % 2)[..n].to_owned(),
        ] {
            assert_eq!(p.slug.is_match(&s), is_valid_slug(&s), "{s:?}");
            assert_eq!(p.key.is_match(&s), is_valid_idempotency_key(&s), "{s:?}");
        }
    }
}

/// Mostly the characters of a slug or a key, so that valid ones come up too.
fn slugish() -> impl Strategy<Value = char> {
    prop_oneof![
        8 => prop::sample::select(vec!['a', 'z', 'A', 'Z', '0', '9', '-', '_']),
        1 => tricky(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    // Within the lengths (which no pattern can count in grapheme clusters), a nickname or a body
    // matches the published pattern exactly when the validator takes it.
    #[test]
    fn comment_patterns_say_what_the_validator_says(
        chars in prop::collection::vec(tricky(), 0..NICKNAME_MAX),
        long in prop::collection::vec(tricky(), 0..BODY_MAX / 4),
    ) {
        let p = &*PATTERNS;
        let nickname: String = chars.into_iter().collect();
        prop_assert_eq!(p.nickname.is_match(&nickname), nickname_problem(&nickname).is_none(), "{:?}", nickname);
        let body: String = long.into_iter().collect();
        prop_assert_eq!(p.body.is_match(&body), body_problem(&body).is_none(), "{:?}", body);
    }

    #[test]
    fn slug_and_key_patterns_say_what_the_checks_say(
        chars in prop::collection::vec(slugish(), 0..130),
    ) {
        let p = &*PATTERNS;
        let s: String = chars.into_iter().collect();
        prop_assert_eq!(p.slug.is_match(&s), is_valid_slug(&s), "{:?}", s);
        prop_assert_eq!(p.key.is_match(&s), is_valid_idempotency_key(&s), "{:?}", s);
    }
}
