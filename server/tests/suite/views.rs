//! Honest view counts through the real router and a real SQLite file: a client that sends a
//! thousand beacons counts once, and cannot move its article up "Popular Now"; a thousand
//! readers can.

use crate::support;

use axum::http::StatusCode;
use broadsheet_model::{Article, Module};
use broadsheet_server::store::HourlyViews;
use support::{BROWSER, Fixture, demo, fixture, post_view, send};

fn now_hour() -> i64 {
    time::OffsetDateTime::now_utc()
        .unix_timestamp()
        .div_euclid(3_600)
}

async fn views_of(f: &Fixture, slug: &str) -> u64 {
    send(f, "GET", &format!("/api/articles/{slug}"))
        .await
        .json::<Article>()
        .views
}

async fn popular_now(f: &Fixture) -> Vec<String> {
    f.state
        .rankings
        .refresh(f.state.store.as_ref())
        .await
        .expect("rankings")
        .iter()
        .find(|m: &&Module| m.id == "popular-now")
        .map(|m| m.items.iter().map(|i| i.slug.clone()).collect())
        .unwrap_or_default()
}

/// Five articles with two views each this hour: "Popular Now" is full, and a sixth article
/// needs more than one view to enter it.
async fn five_popular(f: &Fixture) -> (Vec<String>, String) {
    let slugs: Vec<String> = demo().into_iter().map(|a| a.slug).collect();
    let popular = slugs[..5].to_vec();
    f.db.record_views(
        popular
            .iter()
            .map(|slug| HourlyViews {
                slug: slug.clone(),
                hour: now_hour(),
                views: 2,
            })
            .collect(),
    )
    .await
    .expect("views");
    (popular, slugs[5].clone())
}

on_both_stores! {
    #[tokio::test]
    async fn a_thousand_beacons_from_one_client_count_once_and_move_nothing_up() {
        let f = fixture().await;
        let (popular, other) = five_popular(&f).await;
        let mut before = popular_now(&f).await;
        before.sort();
        let mut expected = popular.clone();
        expected.sort();
        assert_eq!(before, expected);
        let count = views_of(&f, &other).await;
        for _ in 0..1_000 {
            let reply = post_view(&f, &other, [203, 0, 113, 7], BROWSER).await;
            assert_eq!(
                reply.status,
                StatusCode::NO_CONTENT,
                "the answer never tells"
            );
        }
        f.state.write_views().await;
        assert_eq!(views_of(&f, &other).await, count + 1);
        let mut after = popular_now(&f).await;
        after.sort();
        assert_eq!(after, expected, "one client cannot move an article up");
    }
}

on_both_stores! {
    #[tokio::test]
    async fn many_readers_do_move_it_up() {
        let f = fixture().await;
        let (_, other) = five_popular(&f).await;
        let count = views_of(&f, &other).await;
        for reader in 1..=200u8 {
            post_view(&f, &other, [198, 51, 100, reader], BROWSER).await;
        }
        f.state.write_views().await;
        assert_eq!(views_of(&f, &other).await, count + 200);
        assert_eq!(popular_now(&f).await.first(), Some(&other));
    }
}

on_both_stores! {
    #[tokio::test]
    async fn robots_headless_defaults_and_prefetches_are_not_counted() {
        let f = fixture().await;
        let slug = demo()[0].slug.clone();
        let count = views_of(&f, &slug).await;
        for agent in [
            "curl/8.5.0",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36",
        ] {
            let reply = post_view(&f, &slug, [192, 0, 2, 1], agent).await;
            assert_eq!(reply.status, StatusCode::NO_CONTENT);
        }
        let reply = send(&f, "POST", &format!("/api/articles/{slug}/views")).await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT, "no User-Agent at all");
        f.state.write_views().await;
        assert_eq!(views_of(&f, &slug).await, count);
    }
}

on_both_stores! {
    #[tokio::test]
    async fn counted_views_survive_a_stop_and_go_to_their_hour() {
        let f = fixture().await;
        let slug = demo()[1].slug.clone();
        post_view(&f, &slug, [192, 0, 2, 9], BROWSER).await;
        // What a graceful stop does before the process ends.
        f.state.write_views().await;
        let counters = f
            .db
            .rows(&format!(
                "SELECT h.hour, h.views FROM article_view_hours h JOIN articles a ON a.id = h.article_id
                 WHERE a.slug = '{slug}'"
            ))
            .await;
        assert_eq!(counters.len(), 1, "an hourly counter");
        let hour: i64 = counters[0][0].parse().expect("hour");
        let views: i64 = counters[0][1].parse().expect("views");
        assert!((now_hour() - 1..=now_hour()).contains(&hour));
        assert_eq!(views, 1);
    }
}
