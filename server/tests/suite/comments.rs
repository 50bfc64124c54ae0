//! Comments through the router, on a real SQLite file.

use crate::support;

use axum::body::Body;
use axum::http::StatusCode;
use broadsheet_model::{ApiError, Article, Comment, CommentPage};
use broadsheet_server::comments::{Policy, moderation};
use support::{Fixture, demo, fixture, fixture_with, post_json, send, send_from};

fn slug() -> String {
    demo()[0].slug.clone()
}

fn url(rest: &str) -> String {
    format!("/api/articles/{}/comments{rest}", slug())
}

fn key(n: usize) -> String {
    format!("test-key-{n:08}-abcdef")
}

fn new(nickname: &str, body: &str, n: usize) -> serde_json::Value {
    serde_json::json!({"nickname": nickname, "body": body, "idempotency_key": key(n)})
}

async fn listed(f: &Fixture) -> CommentPage {
    let reply = send(f, "GET", &url("")).await;
    assert_eq!(reply.status, StatusCode::OK);
    reply.json()
}

/// The list once `done` holds of it, which it must within the second a page of comments is
/// kept (`broadsheet_server::ready::PAGE_AGE`): moderation here goes to the store, as the CLI's
/// does, and the server is not told of it (a shared PostgreSQL tells it; a SQLite file cannot).
async fn listed_once(f: &Fixture, done: impl Fn(&CommentPage) -> bool) -> CommentPage {
    let until = std::time::Instant::now()
        + broadsheet_server::ready::PAGE_AGE
        + std::time::Duration::from_millis(500);
    loop {
        let page = listed(f).await;
        if done(&page) || std::time::Instant::now() > until {
            return page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn comment_count(f: &Fixture) -> u64 {
    send(f, "GET", &format!("/api/articles/{}", slug()))
        .await
        .json::<Article>()
        .comment_count
}

async fn rows(f: &Fixture) -> i64 {
    f.db.number("SELECT COUNT(*) FROM comments").await
}

fn field_errors(reply: &support::Reply) -> Vec<String> {
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text()
    );
    reply.json::<ApiError>().error.fields.into_keys().collect()
}

on_both_stores! {
    #[tokio::test]
    async fn a_posted_comment_is_listed_first_and_counted() {
        let f = fixture().await;
        assert_eq!(comment_count(&f).await, 0);
        // Read (and so kept for a moment) before the posts: a post must show at once.
        assert_eq!(listed(&f).await.total, 0);
        let first: Comment = post_json(&f, &url(""), &new("Mina", "First!", 1))
            .await
            .json();
        let reply = post_json(&f, &url(""), &new("  Jo  ", "  Line one\r\nline two  ", 2)).await;
        assert_eq!(reply.status, StatusCode::CREATED);
        let second: Comment = reply.json();
        assert_eq!(
            (second.nickname.as_str(), second.body.as_str()),
            ("Jo", "Line one\nline two")
        );
        let page = listed(&f).await;
        assert_eq!(page.total, 2);
        assert_eq!(page.items, [second, first]);
        assert_eq!(comment_count(&f).await, 2);
    }
}

on_both_stores! {
    #[tokio::test]
    async fn validation_at_every_boundary() {
        let f = fixture_with(Policy {
            posts_per_minute: 1000,
            ..Policy::default()
        })
        .await;
        let cases: Vec<(String, String, Vec<&str>)> = vec![
            ("Mina".into(), "".into(), vec!["body"]),
            ("Mina".into(), " \n ".into(), vec!["body"]),
            ("Mina".into(), "x".into(), vec![]),
            ("Mina".into(), "x".repeat(300), vec![]),
            ("Mina".into(), "x".repeat(301), vec!["body"]),
            ("Mina".into(), "한".repeat(300), vec![]),
            ("Mina".into(), "한".repeat(301), vec!["body"]),
            ("Mina".into(), "👩‍🚀".repeat(300), vec![]),
            ("Mina".into(), "tab\there".into(), vec!["body"]),
            ("Mina".into(), "bell\u{7}".into(), vec!["body"]),
            ("".into(), "Hello".into(), vec!["nickname"]),
            ("김".repeat(40), "Hello".into(), vec![]),
            ("김".repeat(41), "Hello".into(), vec!["nickname"]),
            ("two\nlines".into(), "Hello".into(), vec!["nickname"]),
            ("".into(), "".into(), vec!["body", "nickname"]),
        ];
        for (n, (nickname, body, errors)) in cases.into_iter().enumerate() {
            let reply = post_json(&f, &url(""), &new(&nickname, &body, n)).await;
            if errors.is_empty() {
                assert_eq!(
                    reply.status,
                    StatusCode::CREATED,
                    "{nickname:?} {body:?}: {}",
                    reply.text()
                );
            } else {
                assert_eq!(field_errors(&reply), errors, "{nickname:?} {body:?}");
            }
        }
    }
}

on_both_stores! {
    #[tokio::test]
    async fn malformed_requests() {
        let f = fixture().await;
        let too_big = serde_json::json!({"nickname": "Mina", "body": "x".repeat(5000), "idempotency_key": key(1)});
        assert_eq!(
            post_json(&f, &url(""), &too_big).await.status,
            StatusCode::PAYLOAD_TOO_LARGE
        );
        let missing_key = serde_json::json!({"nickname": "Mina", "body": "Hi"});
        assert_eq!(
            post_json(&f, &url(""), &missing_key).await.status,
            StatusCode::BAD_REQUEST
        );
        for bad_key in ["short", "has spaces in the key!", ""] {
            let body =
                serde_json::json!({"nickname": "Mina", "body": "Hi", "idempotency_key": bad_key});
            assert_eq!(
                post_json(&f, &url(""), &body).await.status,
                StatusCode::BAD_REQUEST,
                "{bad_key:?}"
            );
        }
        let reply = send_from(
            &f,
            "POST",
            &url(""),
            Body::from("{not json"),
            [127, 0, 0, 1],
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert_eq!(reply.json::<ApiError>().error.code, "bad_request");
        let reply = post_json(
            &f,
            "/api/articles/no-such-story/comments",
            &new("Mina", "Hi", 2),
        )
        .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        assert_eq!(
            send(&f, "GET", "/api/articles/no-such-story/comments")
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(rows(&f).await, 0);
    }
}

on_both_stores! {
    #[tokio::test]
    async fn the_same_key_returns_the_first_result_and_never_a_second_row() {
        let f = fixture().await;
        let first: Comment = post_json(&f, &url(""), &new("Mina", "Once", 1))
            .await
            .json();
        let again = post_json(&f, &url(""), &new("Mina", "Once", 1)).await;
        assert_eq!(again.status, StatusCode::CREATED);
        assert_eq!(again.json::<Comment>(), first);
        let changed = post_json(&f, &url(""), &new("Mina", "Twice", 1)).await;
        assert_eq!(field_errors(&changed), ["idempotency_key"]);
        assert_eq!(rows(&f).await, 1);
    }
}

on_both_stores! {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn fifty_parallel_posts_with_one_key_store_one_row() {
        let f = std::sync::Arc::new(
            fixture_with(Policy {
                posts_per_minute: 1000,
                ..Policy::default()
            })
            .await,
        );
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let f = f.clone();
                tokio::spawn(
                    async move { post_json(&f, &url(""), &new("Mina", "Exactly once", 7)).await },
                )
            })
            .collect();
        let mut ids = std::collections::HashSet::new();
        for task in tasks {
            let reply = task.await.expect("task");
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
            ids.insert(reply.json::<Comment>().id);
        }
        assert_eq!(ids.len(), 1, "every answer names the same comment");
        assert_eq!(rows(&f).await, 1);
    }
}

on_both_stores! {
    #[tokio::test]
    async fn more_than_five_posts_a_minute_from_one_client_are_refused() {
        let f = fixture().await;
        for n in 0..5 {
            assert_eq!(
                post_json(&f, &url(""), &new("Mina", "Hi", n)).await.status,
                StatusCode::CREATED
            );
        }
        let reply = post_json(&f, &url(""), &new("Mina", "Hi", 5)).await;
        assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
        let wait: u64 = reply.retry_after.parse().expect("Retry-After in seconds");
        assert!((1..=60).contains(&wait), "{wait}");
        assert_eq!(reply.json::<ApiError>().error.code, "rate_limited");
        // A retry of a comment already stored costs nothing and still gets its answer.
        assert_eq!(
            post_json(&f, &url(""), &new("Mina", "Hi", 0)).await.status,
            StatusCode::CREATED
        );
        // Another client is not affected.
        let other = send_from(
            &f,
            "POST",
            &url(""),
            Body::from(new("Jo", "Hi", 6).to_string()),
            [10, 0, 0, 2],
        )
        .await;
        assert_eq!(other.status, StatusCode::CREATED);
        assert_eq!(rows(&f).await, 6);
    }
}

on_both_stores! {
    #[tokio::test]
    async fn a_filled_honeypot_is_told_201_and_nothing_is_stored() {
        let f = fixture().await;
        let mut bot = new("Buy now", "Cheap watches", 1);
        bot["website"] = "http://spam.example".into();
        let reply = post_json(&f, &url(""), &bot).await;
        assert_eq!(reply.status, StatusCode::CREATED);
        assert_eq!(rows(&f).await, 0);
        assert_eq!(listed(&f).await.total, 0);
        let mut person = new("Mina", "Hello", 2);
        person["website"] = "".into();
        assert_eq!(
            post_json(&f, &url(""), &person).await.status,
            StatusCode::CREATED
        );
        assert_eq!(rows(&f).await, 1);
    }
}

on_both_stores! {
    #[tokio::test]
    async fn comments_page_newest_first() {
        let f = fixture_with(Policy {
            posts_per_minute: 1000,
            ..Policy::default()
        })
        .await;
        for n in 0..25 {
            post_json(&f, &url(""), &new("Mina", &format!("Comment {n}"), n)).await;
        }
        let first = listed(&f).await;
        assert_eq!((first.items.len(), first.total), (20, 25));
        assert_eq!(first.items[0].body, "Comment 24");
        let cursor = first.next_cursor.expect("more");
        let second: CommentPage = send(&f, "GET", &url(&format!("?cursor={cursor}")))
            .await
            .json();
        let bodies: Vec<_> = second.items.iter().map(|c| c.body.as_str()).collect();
        assert_eq!(
            bodies,
            [
                "Comment 4",
                "Comment 3",
                "Comment 2",
                "Comment 1",
                "Comment 0"
            ]
        );
        assert_eq!(second.next_cursor, None);
        assert_eq!(
            send(&f, "GET", &url("?cursor=x")).await.status,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            send(&f, "GET", &url("?limit=0")).await.status,
            StatusCode::BAD_REQUEST
        );
    }
}

on_both_stores! {
    #[tokio::test]
    async fn reports_hide_a_comment_until_a_moderator_decides() {
        let f = fixture().await;
        let target: Comment = post_json(&f, &url(""), &new("Troll", "Nasty", 1))
            .await
            .json();
        let kept: Comment = post_json(&f, &url(""), &new("Mina", "Nice", 2))
            .await
            .json();
        let report = |ip: [u8; 4], id: i64| {
            let f = &f;
            async move {
                send_from(f, "POST", &url(&format!("/{id}/report")), Body::empty(), ip)
                    .await
                    .status
            }
        };
        // One client reporting three times is one report.
        for _ in 0..3 {
            assert_eq!(
                report([10, 0, 0, 1], target.id).await,
                StatusCode::NO_CONTENT
            );
        }
        assert_eq!(listed(&f).await.total, 2);
        assert_eq!(
            report([10, 0, 0, 2], target.id).await,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            report([10, 0, 0, 3], target.id).await,
            StatusCode::NO_CONTENT
        );
        let page = listed(&f).await;
        assert_eq!(page.items, std::slice::from_ref(&kept));
        assert_eq!(page.total, 1);
        assert_eq!(comment_count(&f).await, 1);
        assert_eq!(
            report([10, 0, 0, 4], target.id).await,
            StatusCode::NOT_FOUND,
            "hidden now"
        );
        assert_eq!(report([10, 0, 0, 4], 999_999).await, StatusCode::NOT_FOUND);

        let queue = moderation::list(&*f.db, Some("hidden")).await.expect("list");
        assert_eq!(
            queue.iter().map(|c| (c.id, c.reports)).collect::<Vec<_>>(),
            [(target.id, 3)]
        );
        let slug = demo()[0].slug.clone();
        assert_eq!(
            moderation::approve(&*f.db, target.id)
                .await
                .expect("approve"),
            Some(slug.clone())
        );
        assert_eq!(listed_once(&f, |p| p.total == 2).await.total, 2);
        // Approved: further reports no longer hide it.
        assert_eq!(
            report([10, 0, 0, 5], target.id).await,
            StatusCode::NO_CONTENT
        );
        assert_eq!(listed(&f).await.total, 2);

        assert_eq!(
            moderation::remove(&*f.db, kept.id).await.expect("remove"),
            Some(slug)
        );
        let page = listed_once(&f, |p| p.total == 1).await;
        assert_eq!(
            page.items.iter().map(|c| c.id).collect::<Vec<_>>(),
            [target.id]
        );
        assert_eq!(comment_count(&f).await, 1);
        assert_eq!(
            moderation::remove(&*f.db, 999_999).await.expect("remove"),
            None
        );
    }
}

on_both_stores! {
    /// A store that keeps comment allowances for several servers (PostgreSQL) spends them as the
    /// in-memory limit does — a burst of the allowance, then a wait — and forgets those that are
    /// full again; SQLite keeps none (its one server counts in memory).
    #[tokio::test]
    async fn a_kept_allowance_is_spent_then_forgotten() {
        let db = support::store().await;
        const NOW: i64 = 1_800_000_000_000;
        let mut taken = Vec::new();
        for n in 0..3 {
            taken.push(
                db.take_post_allowance("192.0.2.7", 2, NOW + n)
                    .await
                    .expect("allowance"),
            );
        }
        let other = db
            .take_post_allowance("192.0.2.8", 2, NOW)
            .await
            .expect("allowance");
        match support::kind() {
            support::Kind::Sqlite => assert_eq!(taken, [None, None, None]),
            support::Kind::Postgres => {
                assert_eq!(taken[..2], [Some(Ok(())), Some(Ok(()))]);
                let wait = taken[2].expect("kept").expect_err("over the allowance");
                assert!((29..=30).contains(&wait), "{wait}");
                assert_eq!(other, Some(Ok(())), "another client has its own");
                db.forget_full_allowances(NOW + 30_000).await.expect("forget");
                assert_eq!(
                    db.number("SELECT COUNT(*) FROM comment_allowances").await,
                    1,
                    "the client that waits is kept"
                );
                db.forget_full_allowances(NOW + 60_001).await.expect("forget");
                assert_eq!(db.number("SELECT COUNT(*) FROM comment_allowances").await, 0);
            }
        }
    }
}
