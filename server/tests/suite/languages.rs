//! Languages on both stores: the contract's optional `lang` on an article, checked on import and
//! kept; every feed format's language mapped onto its articles; and the pages: the article's
//! element with its `lang` and `dir`, and the site's language (`--lang`) on every page.

use crate::support;

use std::collections::BTreeMap;

use axum::http::StatusCode;
use broadsheet_server::import::{self, Format, ImportError, Options};
use serde_json::json;
use support::{Fixture, fixture, post_json, send};

/// Imports a feed document and reads back each article it made: headline → lang.
async fn languages(f: &Fixture, doc: &[u8]) -> BTreeMap<String, Option<String>> {
    let report = import::import_document(&*f.db, doc, Format::Auto, &Options::default(), None)
        .await
        .expect("imports");
    assert!(report.skipped.is_empty(), "{report}");
    let mut out = BTreeMap::new();
    for slug in &report.changed.articles {
        let a = f.db.article(slug).await.expect("reads").expect("stored");
        out.insert(a.headline, a.lang);
    }
    out
}

/// The opening tag of the first element in `page` whose opening tag starts `start` and holds
/// `class`.
fn opening_tag<'a>(page: &'a str, start: &str, class: &str) -> &'a str {
    page.match_indices(start)
        .map(|(i, _)| &page[i..i + page[i..].find('>').expect("tag ends") + 1])
        .find(|tag| tag.contains(class))
        .unwrap_or_else(|| panic!("no {start} with {class} in {page}"))
}

fn lang(tag: &str) -> Option<String> {
    Some(tag.to_owned())
}

on_both_stores! {
    #[tokio::test]
    async fn every_feed_format_brings_its_language() {
        let f = fixture().await;
        // RSS: the channel's <language>, for every item.
        let rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Gazette</title>\
            <link>https://gazette.example/</link><description>d</description>\
            <language>ar-EG</language><item><guid>r1</guid><title>RSS item</title>\
            <description>Text.</description><pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate></item>\
            </channel></rss>";
        assert_eq!(languages(&f, rss.as_bytes()).await, BTreeMap::from([("RSS item".into(), lang("ar-eg"))]));

        // Atom: xml:lang on the feed, overridden by an entry's content's own (where feed-rs reads
        // an entry's language).
        let atom = "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">\
            <title>Atom Times</title><id>urn:atom-times</id><updated>2026-12-01T10:00:00Z</updated>\
            <link href=\"https://atom.example/\"/>\
            <entry><id>urn:a1</id><title>Feed language</title><updated>2026-12-01T10:00:00Z</updated>\
            <content type=\"text\">Text.</content></entry>\
            <entry><id>urn:a2</id><title>Entry language</title>\
            <updated>2026-12-01T11:00:00Z</updated><content type=\"text\" xml:lang=\"ko\">본문.</content></entry></feed>";
        assert_eq!(
            languages(&f, atom.as_bytes()).await,
            BTreeMap::from([("Entry language".into(), lang("ko")), ("Feed language".into(), lang("en"))])
        );

        // ninjs: the item's `language`.
        let ninjs = json!({
            "uri": "urn:ninjs:n1", "type": "text", "language": "ar",
            "headline": "ninjs item", "body_text": "Text.", "firstcreated": "2026-12-01T10:00:00Z"
        });
        assert_eq!(
            languages(&f, ninjs.to_string().as_bytes()).await,
            BTreeMap::from([("ninjs item".into(), lang("ar"))])
        );

        // WordPress: Polylang's `lang`, or WPML's locale with its underscore made a hyphen.
        let wordpress = json!([
            {"id": 1, "date_gmt": "2026-12-01T10:00:00", "link": "https://wp.example/one",
             "title": {"rendered": "Polylang post"}, "content": {"rendered": "<p>Text.</p>"}, "lang": "ko"},
            {"id": 2, "date_gmt": "2026-12-01T11:00:00", "link": "https://wp.example/two",
             "title": {"rendered": "WPML post"}, "content": {"rendered": "<p>Text.</p>"},
             "wpml_current_locale": "pt_BR"},
            {"id": 3, "date_gmt": "2026-12-01T12:00:00", "link": "https://wp.example/three",
             "title": {"rendered": "Plain post"}, "content": {"rendered": "<p>Text.</p>"}}
        ]);
        assert_eq!(
            languages(&f, wordpress.to_string().as_bytes()).await,
            BTreeMap::from([
                ("Plain post".into(), None),
                ("Polylang post".into(), lang("ko")),
                ("WPML post".into(), lang("pt-BR")),
            ])
        );

        // A language that is no BCP 47 tag is left out; the item itself still comes in.
        let odd = rss.replace("ar-EG", "Arabic (Egypt)").replace("r1", "r2").replace("RSS item", "Odd language");
        assert_eq!(languages(&f, odd.as_bytes()).await, BTreeMap::from([("Odd language".into(), None)]));
    }

    #[tokio::test]
    async fn the_contract_keeps_a_valid_lang_and_refuses_a_bad_one() {
        let f = fixture().await;
        let article = |slug: &str, lang: &str| json!({
            "slug": slug, "section": {"slug": "world", "name": "World"}, "headline": "Headline",
            "published_at": "2026-12-01T10:00:00Z", "body": [{"type": "paragraph", "text": "Text."}],
            "lang": lang
        });
        import::import(&*f.db, &json!([article("in-persian", "fa-IR")]).to_string())
            .await
            .expect("imports");
        let stored = f.db.article("in-persian").await.expect("reads").expect("stored");
        assert_eq!(stored.lang.as_deref(), Some("fa-IR"));
        // The API says it as stored; an article without one says nothing.
        let reply = send(&f, "GET", "/api/articles/in-persian").await;
        assert_eq!(reply.json::<serde_json::Value>()["lang"], "fa-IR");
        let reply = send(&f, "GET", "/api/articles/coastal-towns-share-one-tide-gauge-network").await;
        assert!(reply.json::<serde_json::Value>().get("lang").is_none());

        let refused = import::import(&*f.db, &json!([article("bad-lang", "Farsi!")]).to_string()).await;
        match refused {
            Err(ImportError::Invalid(problems)) => {
                let text = problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
                assert!(text.contains("[0].lang"), "{text}");
            }
            other => panic!("a bad lang must be refused: {other:?}"),
        }
        assert!(f.db.article("bad-lang").await.expect("reads").is_none(), "nothing written");
    }

    #[tokio::test]
    async fn pages_say_the_article_and_site_language() {
        let mut f = fixture().await;
        let arabic = "/article/coastal-town-plants-mangroves-to-guard-its-shore";
        let reply = send(&f, "GET", arabic).await;
        assert_eq!(reply.status, StatusCode::OK);
        let page = reply.text();
        assert!(page.contains(r#"<meta name="broadsheet-lang" content="en" />"#), "{page:.600}");
        let story = opening_tag(&page, "<article", r#"class="story""#);
        assert!(story.contains(r#" lang="ar""#) && story.contains(r#" dir="rtl""#), "{story}");
        // An article in the site's language names none of its own.
        let page = send(&f, "GET", "/article/coastal-towns-share-one-tide-gauge-network").await.text();
        let story = opening_tag(&page, "<article", r#"class="story""#);
        assert!(!story.contains("lang=") && !story.contains("dir="), "{story}");
        // Headlines in lists set their own direction, whatever script they are in.
        let page = send(&f, "GET", "/section/culture").await.text();
        let headline = opening_tag(&page, "<h2", "story-list__headline");
        assert!(headline.contains(r#"dir="auto""#), "{headline}");

        // The site's language is the server's, fixed at start; a page it has not sent yet (pages are
        // kept for a moment, by address) comes in Arabic.
        f.state = f.state.clone().with_lang("ar");
        let page = send(&f, "GET", "/section/sport").await.text();
        assert!(page.contains(r#"<meta name="broadsheet-lang" content="ar" />"#), "{page:.600}");
        // Its interface in Arabic: the first screen, the title, and the catalogue for the app.
        assert!(page.contains(">الرئيسية</a>"), "the masthead's Home: {page:.2000}");
        let named = page
            .split(r#"<meta name="broadsheet-messages" content=""#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_default()
            .to_owned();
        let catalogue = send(&f, "GET", &format!("/{named}")).await;
        assert_eq!(catalogue.status, StatusCode::OK, "{named}");
        assert!(catalogue.text().starts_with(r#"{"lang":"ar","dir":"rtl""#));
        assert!(page.contains("<title>Sport — Broadsheet</title>") || page.contains("Broadsheet</title>"));
        // The modules' titles in the API too.
        let modules = send(&f, "GET", "/api/modules").await.text();
        assert!(modules.contains(r#""title":"مقالات لا تفوّتها""#), "{modules}");
        // A site in a language without a catalogue is refused at start (`main`); here its state
        // keeps the interface it had.
        f.state = f.state.clone().with_lang("ko-KR");
        let page = send(&f, "GET", "/section/world").await.text();
        assert!(page.contains(">홈</a>"), "{page:.2000}");
    }
}

on_both_stores! {
    /// The installed app's shell (`/index.html`) carries the catalogue: a site restarted in
    /// another language sends another worker, whose shell cache is named by the new catalogue,
    /// so the browser installs it and the app offline speaks the new language.
    #[tokio::test]
    async fn the_workers_shell_is_named_by_the_catalogue() {
        let mut f = fixture().await;
        let worker = |text: String| {
            let digest = text
                .strip_prefix("const CATALOGUE = \"")
                .and_then(|rest| rest.split('"').next())
                .map(str::to_owned);
            digest.unwrap_or_else(|| panic!("no catalogue digest in {text:?}"))
        };
        let english = worker(send(&f, "GET", "/sw.js").await.text());
        assert_eq!(english.len(), 16, "{english}");
        assert!(english.bytes().all(|b| b.is_ascii_hexdigit()), "{english}");
        f.state = f.state.clone().with_lang("ar");
        let arabic = worker(send(&f, "GET", "/sw.js").await.text());
        assert_ne!(arabic, english);
        f.state = f.state.clone().with_lang("en");
        assert_eq!(worker(send(&f, "GET", "/sw.js").await.text()), english);
    }
}

on_both_stores! {
    /// A post the API refuses says what is wrong with each field in the site's language, as the
    /// form does while the reader types (the form shows the server's words when they differ).
    #[tokio::test]
    async fn a_refused_comment_is_told_in_the_sites_language() {
        let mut f = fixture().await;
        f.state = f.state.clone().with_lang("ko");
        let slug = send(&f, "GET", "/api/articles?limit=1").await.json::<serde_json::Value>()
            ["items"][0]["slug"]
            .as_str()
            .expect("a slug")
            .to_owned();
        let post = json!({"nickname": " ", "body": "가".repeat(1_302), "idempotency_key": "korean-refusal-0001"});
        let reply = post_json(&f, &format!("/api/articles/{slug}/comments"), &post).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text());
        let fields: BTreeMap<String, String> =
            serde_json::from_value(reply.json::<serde_json::Value>()["error"]["fields"].clone())
                .expect("fields");
        assert_eq!(fields["nickname"], "이름을 입력해 주세요.");
        assert_eq!(fields["body"], "댓글이 1,002자 깁니다(최대 300자).");
    }
}
