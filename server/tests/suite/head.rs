//! The metadata the server writes into each page's `<head>`, read back with an HTML parser:
//! every value must come out exactly as the article has it, whatever characters it holds.

use crate::support;

use axum::http::StatusCode;
use broadsheet_server::import;
use scraper::{Html, Selector};

const HEADLINE: &str = "He said \"no\" </script><!-- <b>bold</b> & 'yes' </title>";
const STANDFIRST: &str = "Quotes \" and ' and </title><script>window.x=1</script> \u{2028} end";

fn hostile() -> serde_json::Value {
    serde_json::json!({
        "slug": "hostile-headline",
        "section": {"slug": "world", "name": "World <i>&</i>"},
        "headline": HEADLINE,
        "standfirst": STANDFIRST,
        "byline": {"name": "Eve \"</script>\"", "email": null},
        "published_at": "2026-11-27T08:30:00Z",
        "updated_at": "2026-11-27T09:30:00+01:00",
        "image": {"src": "/media/a.svg", "alt": "An \"image\" <here>", "width": 1200, "height": 675},
        "body": [{"type": "paragraph", "text": "Body."}],
        "tags": ["tag \"one\"", "<two>"]
    })
}

async fn page(f: &support::Fixture, uri: &str) -> (StatusCode, Html) {
    let reply = support::get_from_host(f, uri, "news.example:8080").await;
    (reply.status, Html::parse_document(&reply.text()))
}

fn all(html: &Html, selector: &str, attr: &str) -> Vec<String> {
    let s = Selector::parse(selector).expect("selector");
    html.select(&s)
        .map(|e| e.value().attr(attr).unwrap_or_default().to_owned())
        .collect()
}

fn one(html: &Html, selector: &str, attr: &str) -> String {
    let found = all(html, selector, attr);
    assert_eq!(found.len(), 1, "{selector}: {found:?}");
    found.into_iter().next().unwrap_or_default()
}

fn text(html: &Html, selector: &str) -> Vec<String> {
    let s = Selector::parse(selector).expect("selector");
    html.select(&s).map(|e| e.text().collect()).collect()
}

async fn import_hostile(f: &support::Fixture) {
    let file = serde_json::json!([hostile()]).to_string();
    import::import(&*f.db, &file).await.expect("imports");
}

on_both_stores! {
    #[tokio::test]
    async fn an_article_head_carries_its_metadata_escaped() {
        let f = support::fixture().await;
        import_hostile(&f).await;
        let (status, html) = page(&f, "/article/hostile-headline").await;
        assert_eq!(status, StatusCode::OK);
        let base = "http://news.example:8080";
        let canonical = format!("{base}/article/hostile-headline");
        // The description is the standfirst with its white space folded, as the model defines it.
        let description = STANDFIRST.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(text(&html, "title"), [format!("{HEADLINE} — Broadsheet")]);
        assert_eq!(one(&html, "meta[name=description]", "content"), description);
        assert_eq!(one(&html, "link[rel=canonical]", "href"), canonical);
        assert_eq!(one(&html, "meta[property='og:type']", "content"), "article");
        assert_eq!(one(&html, "meta[property='og:title']", "content"), HEADLINE);
        assert_eq!(
            one(&html, "meta[property='og:description']", "content"),
            description
        );
        assert_eq!(one(&html, "meta[property='og:url']", "content"), canonical);
        assert_eq!(
            one(&html, "meta[property='og:site_name']", "content"),
            "Broadsheet"
        );
        assert_eq!(
            one(&html, "meta[property='og:image']", "content"),
            format!("{base}/media/a.svg")
        );
        assert_eq!(
            one(&html, "meta[property='og:image:width']", "content"),
            "1200"
        );
        assert_eq!(
            one(&html, "meta[property='og:image:height']", "content"),
            "675"
        );
        assert_eq!(
            one(&html, "meta[property='og:image:alt']", "content"),
            "An \"image\" <here>"
        );
        assert_eq!(
            one(&html, "meta[property='article:published_time']", "content"),
            "2026-11-27T08:30:00Z"
        );
        assert_eq!(
            one(&html, "meta[property='article:section']", "content"),
            "World <i>&</i>"
        );
        assert_eq!(
            all(&html, "meta[property='article:tag']", "content"),
            ["tag \"one\"", "<two>"]
        );
        assert_eq!(
            one(&html, "meta[name='twitter:card']", "content"),
            "summary_large_image"
        );
        assert_eq!(
            one(&html, "meta[name='twitter:title']", "content"),
            HEADLINE
        );
        assert_eq!(
            one(&html, "meta[name='broadsheet-public-url']", "content"),
            base
        );

        // Besides the shell's own module script, exactly one script element in the head: the
        // JSON-LD, intact, with nothing broken out of it. (The body's first screen: below.) The
        // interface's catalogue is not in the page: it names it (`head::CatalogueFile`).
        assert_eq!(text(&html, "head script").len(), 2);
        let scripts = text(&html, "head script:not([type=module])");
        assert_eq!(scripts.len(), 1, "{scripts:?}");
        assert_eq!(
            one(&html, "head script:not([type=module])", "type"),
            "application/ld+json"
        );
        let ld: serde_json::Value = serde_json::from_str(&scripts[0]).expect("JSON-LD parses");
        assert_eq!(ld["@type"], "NewsArticle");
        assert_eq!(ld["headline"], HEADLINE);
        assert_eq!(ld["description"], description.as_str());
        assert_eq!(ld["datePublished"], "2026-11-27T08:30:00Z");
        assert_eq!(ld["dateModified"], "2026-11-27T09:30:00+01:00");
        assert_eq!(ld["author"][0]["name"], "Eve \"</script>\"");
        assert_eq!(ld["publisher"]["name"], "Broadsheet");
        assert_eq!(ld["image"][0]["url"], format!("{base}/media/a.svg"));
        assert_eq!(ld["mainEntityOfPage"]["@id"], canonical.as_str());
        assert!(
            !scripts[0].contains("</"),
            "no closing tag can appear inside the script"
        );
        // Nothing of the article became an element.
        assert!(text(&html, "b, i").is_empty());
    }
}

on_both_stores! {
    /// The first screen of an article page: rendered by the server with the app's components, every
    /// value as text (hostile ones included), and the data it was made from in a script element no
    /// value can end.
    #[tokio::test]
    async fn an_article_first_screen_is_rendered_escaped_with_its_data() {
        let f = support::fixture().await;
        import_hostile(&f).await;
        let reply = support::get_from_host(&f, "/article/hostile-headline", "news.example:8080").await;
        assert_eq!(reply.status, StatusCode::OK);
        let body = reply.text();
        // In the body of the built page, after what it had there, before its end.
        let noscript = body.find("<noscript>").expect("the built body");
        let first_screen = body.find("<nav").expect("the first screen");
        assert!(noscript < first_screen && body.trim_end().ends_with("</body></html>"));
        let html = Html::parse_document(&body);

        assert_eq!(text(&html, "article h1"), [HEADLINE]);
        assert_eq!(text(&html, ".story__standfirst"), [STANDFIRST]);
        assert_eq!(text(&html, "article .section-label"), ["World <i>&</i>"]);
        assert_eq!(text(&html, ".story__author"), ["Eve \"</script>\""]);
        assert_eq!(
            all(&html, ".story__lead-image img", "alt"),
            ["An \"image\" <here>"]
        );
        assert_eq!(all(&html, ".story__lead-image img", "width"), ["1200"]);
        assert_eq!(text(&html, ".story__body p"), ["Body."]);
        // The UTC time until the app shows the reader's own.
        assert_eq!(
            text(&html, "time"),
            ["27 November 2026 at 08:30", "27 November 2026 at 08:30"]
        );
        // The share links point at the public address.
        assert!(
            all(&html, "a.share__button", "href")
                .iter()
                .any(|h| h.contains("news.example%3A8080%2Farticle%2Fhostile-headline"))
        );
        // Only the page's own scripts: the bootstrap, the structured data and the first screen's.
        let scripts = Selector::parse("script").expect("selector");
        let kinds: Vec<_> = html
            .select(&scripts)
            .map(|s| s.value().attr("type").unwrap_or_default())
            .collect();
        // (The interface's catalogue is named, not carried: `a_first_screen_names_its_catalogue`.)
        assert_eq!(
            kinds,
            [
                "application/ld+json",
                "module",
                "application/json"
            ]
        );

        let data = Selector::parse("script#broadsheet-first-screen").expect("selector");
        let data: String = html
            .select(&data)
            .next()
            .expect("the data")
            .text()
            .collect();
        assert!(!data.contains('<'), "nothing in it can end the element");
        let screen: broadsheet::page_data::embedded::FirstScreen =
            serde_json::from_str(&data).expect("the data decodes");
        let stored = support::get_from_host(&f, "/api/articles/hostile-headline", "x").await;
        assert_eq!(screen.article, Some(stored.json()));
        let sections = support::send(&f, "GET", "/api/sections").await;
        assert_eq!(screen.sections, Some(sections.json()));
        let modules = support::send(&f, "GET", "/api/modules?article=hostile-headline").await;
        assert_eq!(
            screen.modules.map(|m| (m.article, m.modules)),
            Some((Some("hostile-headline".to_owned()), modules.json()))
        );
        // The modules are on the first screen too, in the sidebar.
        assert!(!text(&html, ".sidebar .module h2").is_empty());
    }
}

on_both_stores! {
    /// A page with a first screen is painted once it has arrived up to its footer, which it has;
    /// a page without one (the app's shell) waits for nothing.
    #[tokio::test]
    async fn a_first_screen_is_painted_whole() {
        let f = support::fixture().await;
        let slug = support::demo()[0].slug.clone();
        for path in [format!("/article/{slug}"), "/".into(), "/section/world".into()] {
            let (status, html) = page(&f, &path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert_eq!(
                one(&html, "head link[rel=expect][blocking=render]", "href"),
                "#site-footer",
                "{path}"
            );
            assert_eq!(all(&html, "body footer#site-footer", "id").len(), 1, "{path}");
        }
        for path in ["/saved", "/article/no-such-story"] {
            let (_, html) = page(&f, path).await;
            assert!(all(&html, "link[rel=expect]", "href").is_empty(), "{path}");
        }
    }
}

on_both_stores! {
    /// A page with a first screen names the interface's catalogue instead of carrying it (its
    /// first response is the smaller for it); the file is served by its content, kept for good,
    /// and is what its integrity says. A page without one (the app's shell) carries it inline.
    #[tokio::test]
    async fn a_first_screen_names_its_catalogue() {
        use base64::Engine;
        use sha2::{Digest, Sha384};
        let f = support::fixture().await;
        let slug = support::demo()[0].slug.clone();
        let mut named = Vec::new();
        for path in [format!("/article/{slug}"), "/".into(), "/section/world".into()] {
            let (_, html) = page(&f, &path).await;
            assert!(all(&html, "script#broadsheet-messages", "id").is_empty(), "{path}");
            let file = one(&html, "head meta[name=broadsheet-messages]", "content");
            let integrity = one(&html, "head meta[name=broadsheet-messages]", "data-integrity");
            named.push((file, integrity));
        }
        named.dedup();
        assert_eq!(named.len(), 1, "one catalogue for every page: {named:?}");
        let (file, integrity) = named.remove(0);
        let digest = file
            .strip_prefix("messages-")
            .and_then(|f| f.strip_suffix(".json"))
            .unwrap_or_default();
        assert!(
            digest.len() == 16 && digest.bytes().all(|b| b.is_ascii_hexdigit()),
            "{file}"
        );

        let reply = support::send(&f, "GET", &format!("/{file}")).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.content_type, "application/json");
        assert_eq!(reply.cache, "public, max-age=31536000, immutable");
        let computed = format!(
            "sha384-{}",
            base64::engine::general_purpose::STANDARD.encode(Sha384::digest(&reply.body))
        );
        assert_eq!(computed, integrity);
        let catalogue: broadsheet::i18n::Catalogue = reply.json();
        assert_eq!(catalogue.lang, "en");
        assert_eq!(catalogue.messages["nav.home"], "Home");

        // The shell carries the same catalogue inline.
        let (_, html) = page(&f, "/saved").await;
        assert!(all(&html, "meta[name=broadsheet-messages]", "content").is_empty());
        let inline: broadsheet::i18n::Catalogue =
            serde_json::from_str(&text(&html, "head script#broadsheet-messages").concat())
                .expect("the shell's catalogue parses");
        assert_eq!(inline, catalogue);

        // Another digest names nothing.
        let reply = support::send(&f, "GET", "/messages-0123456789abcdef.json").await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    }
}

on_both_stores! {
    #[tokio::test]
    async fn the_public_url_names_the_real_host() {
        let mut f = support::fixture().await;
        f.state = f
            .state
            .clone()
            .with_public_url(Some("https://news.example/".into()));
        let slug = support::demo()[0].slug.clone();
        let (_, html) = page(&f, &format!("/article/{slug}")).await;
        assert_eq!(
            one(&html, "link[rel=canonical]", "href"),
            format!("https://news.example/article/{slug}")
        );
        assert!(
            one(&html, "meta[property='og:image']", "content")
                .starts_with("https://news.example/media/")
        );
    }
}

on_both_stores! {
    /// A Host the site does not answer to is never written into a page (a shared cache would keep
    /// it for every reader), and forwarding headers are never read at all.
    #[tokio::test]
    async fn a_foreign_host_is_never_reflected() {
        let mut f = support::fixture().await;
        let slug = support::demo()[0].slug.clone();
        let article = format!("/article/{slug}");
        let oembed = format!("/oembed?url=http%3A%2F%2Fevil.example%2Farticle%2F{slug}");
        for uri in ["/", article.as_str(), "/section/science", oembed.as_str()] {
            let reply = support::get_from_host(&f, uri, "evil.example").await;
            assert_eq!(reply.status, StatusCode::MISDIRECTED_REQUEST, "{uri}");
            assert_eq!(reply.cache, "no-store", "{uri}");
            assert!(!reply.text().contains("evil.example"), "{uri}");
        }
        let forged = support::get_with(
            &f,
            &article,
            &[
                ("host", "news.example"),
                ("x-forwarded-host", "evil.example"),
                ("forwarded", "host=evil.example;proto=https"),
            ],
        )
        .await;
        assert_eq!(forged.status, StatusCode::OK);
        assert!(!forged.text().contains("evil.example"));
        assert_eq!(
            one(
                &Html::parse_document(&forged.text()),
                "link[rel=canonical]",
                "href"
            ),
            format!("http://news.example{article}")
        );

        // With a public address the request's Host is not even read.
        f.state = f
            .state
            .clone()
            .with_public_url(Some("https://news.example".into()));
        let reply = support::get_from_host(&f, &article, "evil.example").await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(!reply.text().contains("evil.example"));
        assert_eq!(
            one(
                &Html::parse_document(&reply.text()),
                "link[rel=canonical]",
                "href"
            ),
            format!("https://news.example{article}")
        );
    }
}

on_both_stores! {
    #[tokio::test]
    async fn other_pages_get_the_site_defaults_and_unknown_ones_a_404() {
        let f = support::fixture().await;
        let (status, html) = page(&f, "/").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(text(&html, "title"), ["Latest news — Broadsheet"]);
        assert_eq!(one(&html, "meta[property='og:type']", "content"), "website");
        assert_eq!(
            one(&html, "link[rel=canonical]", "href"),
            "http://news.example:8080/"
        );
        assert!(all(&html, "meta[name=robots]", "content").is_empty());

        let (status, html) = page(&f, "/section/science").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(text(&html, "title"), ["Science — Broadsheet"]);

        for (uri, title) in [
            ("/article/no-such-story", "Article not found — Broadsheet"),
            ("/section/astrology", "Section not found — Broadsheet"),
            ("/nothing/here", "Page not found — Broadsheet"),
        ] {
            let (status, html) = page(&f, uri).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
            assert_eq!(text(&html, "title"), [title], "{uri}");
            assert_eq!(
                one(&html, "meta[name=robots]", "content"),
                "noindex",
                "{uri}"
            );
        }
    }
}
