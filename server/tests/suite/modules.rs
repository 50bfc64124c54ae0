//! The modules' computation on a fixture database with controlled view times.

use broadsheet_model::Module;
use broadsheet_server::store::HourlyViews;
use broadsheet_server::{import, rankings};
use support::TestDb;

use crate::support;

const NOW: i64 = 1_800_000_000;
const HOUR: i64 = 3_600;
const DAY: i64 = 24 * HOUR;

/// (slug, section, published hour offset before NOW, tags, editors' pick, has image)
const ARTICLES: &[(&str, &str, i64, &[&str], bool)] = &[
    ("w-one", "world", 1, &["ports", "trade"], false),
    ("w-two", "world", 2, &["ports"], true),
    ("w-three", "world", 3, &[], false),
    ("b-one", "business", 4, &["ports", "trade"], true),
    ("b-two", "business", 5, &["trade"], false),
    ("b-three", "business", 6, &["energy"], true),
    ("s-one", "science", 7, &["birds"], false),
    ("s-two", "science", 7, &["birds"], false),
];

async fn fixture() -> TestDb {
    let db = support::store().await;
    let articles: Vec<_> = ARTICLES
        .iter()
        .map(|(slug, section, hours, tags, pick)| {
            let published = time::OffsetDateTime::from_unix_timestamp(NOW - hours * HOUR).expect("time");
            serde_json::json!({
                "slug": slug,
                "section": {"slug": section, "name": section[..1].to_uppercase() + &section[1..]},
                "headline": format!("Headline {slug}"),
                "published_at": published.format(&time::format_description::well_known::Rfc3339).expect("format"),
                "body": [{"type": "paragraph", "text": "Text."}],
                "tags": tags,
                "editors_pick": pick,
            })
        })
        .collect();
    import::import(&*db, &serde_json::to_string(&articles).expect("json"))
        .await
        .expect("imports");
    db
}

/// Records `n` counted views of `slug`, `ago` seconds before NOW, as the server writes them.
async fn view(db: &TestDb, slug: &str, n: u32, ago: i64) {
    db.record_views(vec![HourlyViews {
        slug: slug.to_owned(),
        hour: (NOW - ago).div_euclid(HOUR),
        views: n,
    }])
    .await
    .expect("views");
}

/// The modules of a page at NOW: the article's own, then the rankings.
async fn modules_of(db: &TestDb, article: Option<&str>) -> Vec<Module> {
    let own = match article {
        Some(slug) => Some(
            db.article_modules(slug)
                .await
                .expect("query")
                .expect("article exists"),
        ),
        None => None,
    };
    rankings::page_modules(own, &db.rankings(NOW).await.expect("rankings"))
}

fn slugs(modules: &[Module], id: &str) -> Vec<String> {
    modules
        .iter()
        .find(|m| m.id == id)
        .map(|m| m.items.iter().map(|i| i.slug.clone()).collect())
        .unwrap_or_default()
}

on_both_stores! {
    #[tokio::test]
    async fn popular_now_counts_the_last_24_hours_and_breaks_ties_by_recency() {
        let db = fixture().await;
        view(&db, "b-three", 10, 25 * HOUR).await; // too old for Popular Now
        view(&db, "w-three", 3, HOUR).await;
        view(&db, "b-one", 3, 23 * HOUR).await; // ties with w-three; w-three is newer
        view(&db, "s-one", 5, 2 * HOUR).await;
        view(&db, "s-two", 1, 0).await;
        view(&db, "w-one", 1, 0).await; // ties with s-two; w-one is newer
        view(&db, "b-two", 1, 30 * HOUR).await;
        let m = modules_of(&db, None).await;
        assert_eq!(
            slugs(&m, "popular-now"),
            ["s-one", "w-three", "b-one", "w-one", "s-two"]
        );
        let popular = m.iter().find(|m| m.id == "popular-now").expect("present");
        assert!(popular.numbered);
        assert_eq!(
            popular.items.iter().map(|i| i.rank).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5]
        );
        assert_eq!(popular.items[0].section.name, "Science");
        // The week counts the older views too.
        assert_eq!(
            slugs(&m, "weekly-best"),
            [
                "b-three", "s-one", "w-three", "b-one", "w-one", "b-two", "s-two"
            ]
        );
    }
}

on_both_stores! {
    #[tokio::test]
    async fn weekly_best_ignores_views_older_than_seven_days() {
        let db = fixture().await;
        view(&db, "w-one", 50, 8 * DAY).await;
        view(&db, "w-two", 1, 6 * DAY).await;
        let m = modules_of(&db, None).await;
        assert_eq!(slugs(&m, "weekly-best"), ["w-two"]);
        assert!(
            slugs(&m, "popular-now").is_empty(),
            "no views today: the module is left out"
        );
        assert!(m.iter().all(|m| m.id != "popular-now"));
    }
}

on_both_stores! {
    #[tokio::test]
    async fn you_may_also_like_ranks_shared_tags_then_section_and_never_the_article() {
        let db = fixture().await;
        let m = modules_of(&db, Some("w-one")).await;
        // b-one shares two tags; w-two and b-two share one (w-two newer); then w-three, same section.
        assert_eq!(
            slugs(&m, "you-may-also-like"),
            ["b-one", "w-two", "b-two", "w-three"]
        );
        let m = modules_of(&db, Some("s-one")).await;
        assert_eq!(slugs(&m, "you-may-also-like"), ["s-two"]);
    }
}

on_both_stores! {
    #[tokio::test]
    async fn latest_stories_are_the_sections_newest_without_the_article() {
        let db = fixture().await;
        let m = modules_of(&db, Some("w-two")).await;
        let latest = m
            .iter()
            .find(|m| m.id == "latest-stories")
            .expect("present");
        assert_eq!(latest.title, "[WORLD] Latest Stories");
        assert!(!latest.numbered);
        assert_eq!(slugs(&m, "latest-stories"), ["w-one", "w-three"]);
    }
}

on_both_stores! {
    #[tokio::test]
    async fn must_reads_are_editors_picks_newest_first() {
        let db = fixture().await;
        assert_eq!(
            slugs(&modules_of(&db, None).await, "must-reads"),
            ["w-two", "b-one", "b-three"]
        );
    }
}

on_both_stores! {
    #[tokio::test]
    async fn module_order_and_fronts() {
        let db = fixture().await;
        view(&db, "w-one", 1, 0).await;
        let ids: Vec<_> = modules_of(&db, Some("b-two"))
            .await
            .into_iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(
            ids,
            [
                "latest-stories",
                "you-may-also-like",
                "popular-now",
                "weekly-best",
                "must-reads"
            ]
        );
        let ids: Vec<_> = modules_of(&db, None)
            .await
            .into_iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(
            ids,
            ["popular-now", "weekly-best", "must-reads"],
            "fronts have no article modules"
        );
        assert!(db.article_modules("nope").await.expect("query").is_none());
    }
}

on_both_stores! {
    #[tokio::test]
    async fn the_front_leads_with_the_newest_story_and_lists_each_section() {
        let db = fixture().await;
        let front = db.front(2).await.expect("front");
        assert_eq!(front.lead.expect("a lead").slug, "w-one");
        let sections: Vec<(String, Vec<String>)> = front
            .sections
            .into_iter()
            .map(|s| {
                (
                    s.section.slug,
                    s.items.into_iter().map(|i| i.slug).collect(),
                )
            })
            .collect();
        assert_eq!(
            sections,
            [
                (
                    "world".to_owned(),
                    vec!["w-two".to_owned(), "w-three".to_owned()]
                ),
                (
                    "business".to_owned(),
                    vec!["b-one".to_owned(), "b-two".to_owned()]
                ),
                (
                    "science".to_owned(),
                    vec!["s-two".to_owned(), "s-one".to_owned()]
                ),
            ]
        );
    }
}
