//! Importing feeds into a real SQLite store: real published documents of every format
//! (`tests/fixtures/feeds/`, see SOURCES.md there), the mapping of each field, stable slugs,
//! the report, and bad input refused on purpose, with nothing written.

use crate::support;

use std::path::Path;

use axum::http::StatusCode;
use broadsheet_model::{Article, Block, safe_href};
use broadsheet_server::import::{self, Format, ImportError, Options, Report};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/feeds");

async fn run(f: &support::Fixture, doc: &[u8], options: &Options) -> Result<Report, ImportError> {
    import::import_document(&*f.db, doc, Format::Auto, options, None).await
}

async fn stored(f: &support::Fixture, slug: &str) -> Article {
    f.db.article(slug)
        .await
        .expect("reads")
        .unwrap_or_else(|| panic!("{slug} is stored"))
}

/// Every text an article shows.
fn texts(a: &Article) -> Vec<String> {
    let mut out = vec![a.headline.clone()];
    out.extend(a.standfirst.clone());
    out.extend(a.byline.as_ref().map(|b| b.name.clone()));
    out.extend(a.tags.clone());
    for block in &a.body.blocks {
        match block {
            Block::Paragraph { text, runs } => {
                out.push(text.clone());
                out.extend(runs.iter().filter_map(|r| r.link.clone()));
            }
            Block::Heading { text } => out.push(text.clone()),
            Block::Quote { text, cite } => {
                out.push(text.clone());
                out.extend(cite.clone());
            }
            Block::Image(i) => out.extend([i.alt.clone(), i.src.clone()]),
            Block::List { items, .. } => out.extend(items.clone()),
        }
    }
    out
}

/// What markup would look like if any had been stored as text.
fn looks_like_markup(text: &str) -> bool {
    [
        "<p>", "<p ", "<a ", "<img", "<script", "<div", "<br", "</p>", "</a>", "<iframe", "&lt;",
        "&amp;", "&#",
    ]
    .iter()
    .any(|m| text.contains(m))
}

fn fixtures() -> Vec<(String, Format, Vec<u8>)> {
    let mut out = Vec::new();
    for (dir, format) in [
        ("rss", Format::Rss),
        ("atom", Format::Atom),
        ("jsonfeed", Format::Jsonfeed),
        ("wordpress", Format::Wordpress),
        ("ninjs", Format::Ninjs),
    ] {
        let mut files: Vec<_> = std::fs::read_dir(Path::new(FIXTURES).join(dir))
            .expect("fixture folder")
            .map(|e| e.expect("entry").path())
            .collect();
        files.sort();
        for path in files {
            let name = format!(
                "{dir}/{}",
                path.file_name().expect("name").to_string_lossy()
            );
            out.push((name, format, std::fs::read(&path).expect("fixture")));
        }
    }
    out
}

#[tokio::test]
async fn every_real_document_imports_as_typed_text() {
    let docs = fixtures();
    assert!(docs.len() >= 12, "{} documents", docs.len());
    let mut total = 0;
    for (name, format, bytes) in &docs {
        let f = support::fixture().await;
        let report = run(&f, bytes, &Options::default())
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        eprintln!("{name}: {report}");
        assert_eq!(report.format, *format, "{name}");
        assert!(report.created >= 1, "{name}: {report}");
        assert_eq!(report.created, report.changed.articles.len(), "{name}");
        for slug in &report.changed.articles {
            let a = stored(&f, slug).await;
            assert!(
                a.validate().is_empty(),
                "{name}: {slug}: {:?}",
                a.validate()
            );
            for t in texts(&a) {
                assert!(
                    !looks_like_markup(&t),
                    "{name}: {slug}: markup stored: {t:?}"
                );
            }
            for block in &a.body.blocks {
                if let Block::Paragraph { runs, .. } = block {
                    for link in runs.iter().filter_map(|r| r.link.as_deref()) {
                        assert!(safe_href(link).is_some(), "{name}: {link}");
                    }
                }
            }
            // The page renders it.
            let reply = support::send(&f, "GET", &format!("/article/{slug}")).await;
            assert_eq!(reply.status, StatusCode::OK, "{name}: {slug}");
            assert!(reply.text().contains("<h1"), "{name}: {slug}");
        }
        total += report.created;
    }
    assert!(
        total >= docs.len(),
        "{total} articles from {} documents",
        docs.len()
    );
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(FIXTURES).join(name)).expect("fixture")
}

#[tokio::test]
async fn real_documents_map_their_fields() {
    let f = support::fixture().await;
    // BBC (RSS 2.0): title, description, guid, RFC 822 date, media:thumbnail.
    let report = run(&f, &fixture("rss/bbc.xml"), &Options::default())
        .await
        .expect("bbc");
    let a = stored(&f, &report.changed.articles[0]).await;
    assert_eq!(a.source.as_deref(), Some("In Our Time"));
    assert!(!a.headline.is_empty() && a.body.blocks.len() == 1, "{a:?}");
    assert_eq!(a.section.slug, "news");

    // dpa (ninjs 2.1): HTML body in `bodies`, local offset in versioncreated.
    let report = run(&f, &fixture("ninjs/dpa-2.1.json"), &Options::default())
        .await
        .expect("dpa");
    let a = stored(&f, &report.changed.articles[0]).await;
    assert_eq!(a.published_at.to_rfc3339(), "2019-05-10T16:02:28+02:00");
    assert_eq!(a.source.as_deref(), Some("dpa"), "its copyright holder");
    assert!(a.body.blocks.len() > 5);
    assert!(
        matches!(&a.body.blocks[0], Block::Paragraph { text, .. } if text.starts_with("Für Lucien Favre war es «der größte Skandal"))
    );

    // TT (ninjs 2.1): a picture association becomes the lead image, in its largest rendition
    // up to 2,000 pixels, with its size and credit.
    let report = run(&f, &fixture("ninjs/tt-2.1.json"), &Options::default())
        .await
        .expect("tt");
    let a = stored(&f, &report.changed.articles[0]).await;
    let image = a.image.expect("a lead image");
    assert_eq!(
        (image.width, image.height, image.framed),
        (1024, 683, false)
    );
    assert_eq!(image.credit.as_deref(), Some("Karl Melander/TT"));

    // click9ja (WordPress, embedded): author, featured image with its size, category, a quote.
    let report = run(&f, &fixture("wordpress/click9ja.json"), &Options::default())
        .await
        .expect("wp");
    let a = stored(&f, &report.changed.articles[0]).await;
    assert_eq!(
        a.headline,
        "Boko Haram Attacks In Borno Getting Worse – Gov Shettima Raises Alarm"
    );
    assert_eq!(a.byline.as_ref().map(|b| b.name.as_str()), Some("lawizee"));
    assert_eq!(a.published_at.to_rfc3339(), "2019-01-02T08:19:18Z");
    assert_eq!(
        a.updated_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2019-01-02T08:19:27Z")
    );
    assert_eq!(
        a.image.as_ref().map(|i| (i.width, i.height)),
        Some((300, 168))
    );
    assert_eq!(a.tags, ["NEWS"]);
    assert!(
        a.slug
            .starts_with("boko-haram-attacks-in-borno-getting-worse-gov-shettima-")
    );
    assert!(a.body.blocks.iter().any(
        |b| matches!(b, Block::Quote { text, .. } if text.starts_with("“Your royal highnesses"))
    ));
    // The body's opening heading repeats the headline, and the excerpt repeats the body's
    // start: neither is kept twice.
    assert!(
        matches!(&a.body.blocks[0], Block::Paragraph { text, .. } if text.starts_with("Borno state governor,"))
    );
    assert_eq!(a.standfirst, None);

    // Golem.de (RSS 1.0 in ISO-8859-1): decoded, umlauts intact.
    let report = run(&f, &fixture("rss/golem-iso8859.xml"), &Options::default())
        .await
        .expect("golem");
    let all: Vec<String> = {
        let mut v = Vec::new();
        for slug in &report.changed.articles {
            v.extend(texts(&stored(&f, slug).await));
        }
        v
    };
    assert!(
        all.iter().any(|t| t.contains(['ä', 'ö', 'ü', 'ß'])),
        "{all:?}"
    );
    assert!(
        !all.iter()
            .any(|t| t.contains('\u{fffd}') || t.contains("Ã")),
        "{all:?}"
    );
}

#[tokio::test]
async fn importing_again_updates_and_creates_no_duplicates() {
    let f = support::fixture().await;
    let doc = fixture("rss/spiegel.xml");
    let first = run(&f, &doc, &Options::default()).await.expect("first");
    let count = f.db.article_count().await.expect("count");
    let again = run(&f, &doc, &Options::default()).await.expect("again");
    assert_eq!((again.created, again.updated), (0, first.created));
    assert_eq!(f.db.article_count().await.expect("count"), count);
    assert_eq!(again.changed.articles, first.changed.articles);
}

fn rss(items: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:media=\"http://search.yahoo.com/mrss/\">\n\
         <channel><title>The Test Gazette</title><link>https://gazette.example/</link>\
         <description>d</description>\n{items}\n</channel></rss>"
    )
    .into_bytes()
}

fn item(guid: &str, title: &str, date: &str, extra: &str) -> String {
    format!(
        "<item><guid isPermaLink=\"false\">{guid}</guid><title>{title}</title>\
         <pubDate>{date}</pubDate>{extra}</item>"
    )
}

#[tokio::test]
async fn an_rss_item_maps_every_field() {
    let f = support::fixture().await;
    let extra = "<link>https://gazette.example/2026/12/harbour-reopens</link>\
        <description>&lt;p&gt;The &lt;b&gt;harbour&lt;/b&gt; reopens.&lt;/p&gt;</description>\
        <content:encoded><![CDATA[<p>Ships <em>return</em> to <a href=\"/port\">port</a>.</p>\
        <h2>Why</h2><blockquote><p>At last.</p><cite>A captain</cite></blockquote>\
        <ul><li>one</li><li>two</li></ul><figure><img src=\"https://img.example/a.jpg\" alt=\"Cranes\">\
        <figcaption>Cranes at dawn</figcaption></figure><script>alert(1)</script>]]></content:encoded>\
        <dc:creator>Ada Reporter</dc:creator><category>World</category><category>Ports</category>\
        <media:content url=\"https://img.example/lead.jpg\" type=\"image/jpeg\" width=\"1200\" height=\"800\">\
        <media:title>The harbour</media:title></media:content>";
    let doc = rss(&item(
        "h-1",
        "Harbour &amp; port reopen",
        "Tue, 10 Jun 2003 04:00:00 +0200",
        extra,
    ));
    let report = run(&f, &doc, &Options::default()).await.expect("imports");
    assert_eq!(
        report.to_string().lines().next(),
        Some("1 imported, 0 updated, 0 skipped (RSS)")
    );
    assert_eq!(report.dropped.0.get("<script>"), Some(&1));
    let a = stored(&f, &report.changed.articles[0]).await;
    assert!(a.slug.starts_with("harbour-reopens-"), "{}", a.slug);
    assert_eq!(a.headline, "Harbour & port reopen");
    assert_eq!(a.standfirst.as_deref(), Some("The harbour reopens."));
    assert_eq!(
        a.byline.as_ref().map(|b| b.name.as_str()),
        Some("Ada Reporter")
    );
    assert_eq!(a.source.as_deref(), Some("The Test Gazette"));
    // An RFC 822 date with a local offset: the same instant.
    assert_eq!(a.published_at.to_rfc3339(), "2003-06-10T02:00:00Z");
    assert_eq!(
        a.section.slug, "world",
        "the first category that names a section"
    );
    assert_eq!(a.tags, ["World", "Ports"]);
    let image = a.image.expect("lead image");
    assert_eq!(
        (image.src.as_str(), image.alt.as_str()),
        ("https://img.example/lead.jpg", "The harbour")
    );
    assert_eq!(
        (image.width, image.height, image.framed),
        (1200, 800, false)
    );
    let kinds: Vec<&str> = a.body.blocks.iter().map(Block::kind).collect();
    assert_eq!(kinds, ["paragraph", "heading", "quote", "list", "image"]);
    let Block::Paragraph { runs, .. } = &a.body.blocks[0] else {
        panic!()
    };
    assert_eq!(
        runs[3].link.as_deref(),
        Some("https://gazette.example/port")
    );
    assert!(runs[1].italic);
    let Block::Image(figure) = &a.body.blocks[4] else {
        panic!()
    };
    assert_eq!(figure.caption.as_deref(), Some("Cranes at dawn"));
    assert!(figure.framed, "no size given: a 16:9 frame");

    // --section and --source win over the feed.
    let options = Options {
        section: Some("business".into()),
        source: Some("Wire".into()),
    };
    let report = run(&f, &doc, &options).await.expect("again");
    assert_eq!((report.created, report.updated), (0, 1));
    let a = stored(&f, &report.changed.articles[0]).await;
    assert_eq!(
        (a.section.slug.as_str(), a.source.as_deref()),
        ("business", Some("Wire"))
    );
}

#[tokio::test]
async fn dates_in_every_form_read_right() {
    let f = support::fixture().await;
    let items = [
        item("d1", "Zulu", "Wed, 02 Dec 2026 10:00:00 GMT", ""),
        item("d2", "Eastern", "Wed, 02 Dec 2026 05:00:00 EST", ""),
        item("d3", "Offset", "Wed, 02 Dec 2026 19:00:00 +0900", ""),
    ];
    let doc = rss(&items
        .iter()
        .map(|i| i.replace("</item>", "<description>x</description></item>"))
        .collect::<String>());
    let report = run(&f, &doc, &Options::default()).await.expect("imports");
    assert_eq!(report.created, 3);
    for slug in &report.changed.articles {
        assert_eq!(
            stored(&f, slug).await.published_at.to_rfc3339(),
            "2026-12-02T10:00:00Z",
            "{slug}"
        );
    }
    let atom = b"<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>A</title>\
        <id>urn:a</id><updated>2026-12-02T10:00:00Z</updated><entry><id>urn:a:1</id><title>Local</title>\
        <published>2026-12-02T05:00:00-05:00</published><updated>2026-12-02T12:30:00+01:00</updated>\
        <summary>s</summary></entry></feed>";
    let report = run(&f, atom, &Options::default()).await.expect("atom");
    let a = stored(&f, &report.changed.articles[0]).await;
    assert_eq!(a.published_at.to_rfc3339(), "2026-12-02T10:00:00Z");
    assert_eq!(
        a.updated_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-12-02T11:30:00Z")
    );
}

#[tokio::test]
async fn same_headlines_get_distinct_slugs_and_bad_items_are_skipped_with_reasons() {
    let f = support::fixture().await;
    let body = "<description>Text.</description>";
    let doc = rss(&[
        item("a", "Same headline", "Wed, 02 Dec 2026 10:00:00 GMT", body),
        item("b", "Same headline", "Wed, 02 Dec 2026 11:00:00 GMT", body),
        item("c", "", "Wed, 02 Dec 2026 11:00:00 GMT", body),
        "<item><guid>d</guid><title>No date</title><description>x</description></item>".to_owned(),
        item("e", "No text", "Wed, 02 Dec 2026 11:00:00 GMT", ""),
        item("a", "Same headline", "Wed, 02 Dec 2026 10:00:00 GMT", body),
    ]
    .concat());
    let report = run(&f, &doc, &Options::default()).await.expect("imports");
    let text = report.to_string();
    assert!(
        text.starts_with("2 imported, 0 updated, 4 skipped (RSS)"),
        "{text}"
    );
    assert!(
        text.contains("skipped item 3 (c): it has no title"),
        "{text}"
    );
    assert!(
        text.contains("skipped item 4 (d): it has no publication date"),
        "{text}"
    );
    assert!(
        text.contains("skipped item 5 (e): it has no text"),
        "{text}"
    );
    assert!(
        text.contains("skipped item 6 (a): it is the same item as item 1"),
        "{text}"
    );
    let slugs = &report.changed.articles;
    assert_ne!(slugs[0], slugs[1]);
    assert!(slugs.iter().all(|s| s.starts_with("same-headline-")));
}

async fn refused(f: &support::Fixture, doc: &[u8]) -> String {
    let before = f.db.article_count().await.expect("count");
    let err = run(f, doc, &Options::default()).await.expect_err("refused");
    assert_eq!(
        f.db.article_count().await.expect("count"),
        before,
        "nothing written: {err}"
    );
    err.to_string()
}

#[tokio::test]
async fn bad_documents_are_refused_whole_saying_what_and_where() {
    let f = support::fixture().await;
    // Malformed XML: line and column.
    let mut doc = rss(&item(
        "x",
        "Fine",
        "Wed, 02 Dec 2026 10:00:00 GMT",
        "<description>ok</description>",
    ));
    doc.extend_from_slice(b"\n<broken></rss>");
    let err = refused(&f, &doc).await;
    assert!(
        err.contains("the XML is malformed at line 6, column 9"),
        "{err}"
    );
    let err = refused(
        &f,
        b"<?xml version=\"1.0\"?>\n<rss><channel>\n<title>T</tittle></channel></rss>",
    )
    .await;
    assert!(err.contains("line 3, column"), "{err}");
    // Malformed JSON: line and column.
    let err = refused(
        &f,
        b"{\"version\": \"https://jsonfeed.org/version/1.1\",\n  \"items\": [,]}",
    )
    .await;
    assert!(
        err.contains("the JSON is malformed at line 2, column 13"),
        "{err}"
    );
    // A WordPress post of the wrong shape is skipped with its JSON path.
    let report = run(
        &f,
        br#"[{"id": 1, "title": {"rendered": "T"}, "date_gmt": 5}]"#,
        &Options::default(),
    )
    .await
    .expect("a good document");
    assert!(
        report.to_string().contains("[0].date_gmt: invalid type"),
        "{report}"
    );
    // An HTML page where a feed was expected.
    let err = refused(
        &f,
        b"<!DOCTYPE html><html><body><p>Not a feed</p></body></html>",
    )
    .await;
    assert!(err.contains("HTML page"), "{err}");
    // Neither XML nor JSON.
    assert!(refused(&f, b"hello").await.contains("neither XML nor JSON"));
}

#[tokio::test]
async fn dtds_entities_and_oversized_documents_are_refused() {
    let f = support::fixture().await;
    let laughs = b"<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n <!ENTITY lol \"lol\">\n \
        <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n \
        <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n]>\n\
        <rss version=\"2.0\"><channel><title>&lol3;</title><item><title>&lol3;</title>\
        <description>x</description></item></channel></rss>";
    let err = refused(&f, laughs).await;
    assert!(
        err.contains("DTD with entities") && err.contains("line 2, column 1"),
        "{err}"
    );
    let external =
        b"<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\
        <rss version=\"2.0\"><channel><title>&xxe;</title></channel></rss>";
    assert!(refused(&f, external).await.contains("DTD with entities"));
    // An entity nobody declared stays text, never a file's contents.
    let undeclared = rss(&item(
        "u",
        "Hello &xxe; there",
        "Wed, 02 Dec 2026 10:00:00 GMT",
        "<description>x</description>",
    ));
    let report = run(&f, &undeclared, &Options::default())
        .await
        .expect("imports");
    assert_eq!(
        stored(&f, &report.changed.articles[0]).await.headline,
        "Hello &xxe; there"
    );
    // Over the size limit, even when it is a good feed.
    let mut big = rss(&item(
        "b",
        "Big",
        "Wed, 02 Dec 2026 10:00:00 GMT",
        "<description>x</description>",
    ));
    let padding = vec![b' '; import::MAX_BYTES];
    big.splice(10..10, padding);
    let err = refused(&f, &big).await;
    assert!(
        err.contains(&format!("over the limit of {} bytes", import::MAX_BYTES)),
        "{err}"
    );
}

#[tokio::test]
async fn declared_encodings_are_decoded_or_refused() {
    let f = support::fixture().await;
    let korean = "<?xml version=\"1.0\" encoding=\"EUC-KR\"?>\n<rss version=\"2.0\"><channel>\
        <title>한국 신문</title><link>https://kr.example/</link><item><guid>k1</guid>\
        <title>서울에 첫눈</title><pubDate>Wed, 02 Dec 2026 10:00:00 +0900</pubDate>\
        <description>오늘 아침 서울에 첫눈이 내렸다.</description></item></channel></rss>";
    let (bytes, _, unmappable) = encoding_rs::EUC_KR.encode(korean);
    assert!(!unmappable);
    let report = run(&f, &bytes, &Options::default())
        .await
        .expect("EUC-KR imports");
    let a = stored(&f, &report.changed.articles[0]).await;
    assert_eq!(a.headline, "서울에 첫눈");
    assert_eq!(a.source.as_deref(), Some("한국 신문"));
    assert!(a.slug.starts_with("item-"), "no ASCII words: {}", a.slug);

    let unknown = b"<?xml version=\"1.0\" encoding=\"x-mac-klingon\"?><rss/>";
    assert!(refused(&f, unknown).await.contains("x-mac-klingon"));
    let not_utf8 = b"<?xml version=\"1.0\"?>\n<rss><channel><title>caf\xe9</title></channel></rss>";
    let err = refused(&f, not_utf8).await;
    assert!(
        err.contains("not valid UTF-8 at line 2, column 25"),
        "{err}"
    );
    // Bytes that EUC-KR cannot hold.
    let bad_euc = b"<?xml version=\"1.0\" encoding=\"EUC-KR\"?><rss>\xff\xff</rss>";
    assert!(refused(&f, bad_euc).await.contains("not valid in it"));
}

fn hostile_payloads() -> (Vec<String>, Vec<String>) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../e2e/hostile/corpus.json");
    let corpus: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("corpus")).expect("json");
    let list = |key: &str| -> Vec<String> {
        corpus[key]
            .as_array()
            .expect("array")
            .iter()
            .map(|v| v.as_str().expect("string").to_owned())
            .collect()
    };
    (list("payloads"), list("links"))
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The hostile corpus as each format's HTML: every payload in an item's title and body, and
/// every hostile link target in an `<a href>` and an `<img src>`.
fn hostile_documents() -> Vec<(&'static str, Vec<u8>)> {
    let (payloads, links) = hostile_payloads();
    let mut html_bodies: Vec<String> = payloads
        .iter()
        .map(|p| format!("<p>Before {p} after</p>"))
        .collect();
    html_bodies.extend(links.iter().map(|l| {
        let l = l.replace('"', "&quot;");
        format!("<p><a href=\"{l}\">link</a> <img src=\"{l}\" alt=\"x\"> text</p>")
    }));
    let titles: Vec<String> = payloads.iter().chain(&links).cloned().collect();
    let date = "2026-12-02T10:00:00Z";
    let n = html_bodies.len();
    let rss_items: String = (0..n)
        .map(|i| {
            format!(
                "<item><guid>h{i}</guid><title>{}</title><pubDate>Wed, 02 Dec 2026 10:00:00 GMT</pubDate>\
                 <description>{}</description><content:encoded>{}</content:encoded></item>",
                xml_escape(&titles[i]),
                xml_escape(&titles[i]),
                xml_escape(&html_bodies[i])
            )
        })
        .collect();
    let atom_entries: String = (0..n)
        .map(|i| {
            format!(
                "<entry><id>urn:h:{i}</id><title type=\"html\">{}</title><updated>{date}</updated>\
                 <content type=\"html\">{}</content></entry>",
                xml_escape(&xml_escape(&titles[i])),
                xml_escape(&html_bodies[i])
            )
        })
        .collect();
    let json_items: Vec<serde_json::Value> = (0..n)
        .map(|i| serde_json::json!({"id": format!("h{i}"), "title": titles[i], "content_html": html_bodies[i], "date_published": date}))
        .collect();
    let wp: Vec<serde_json::Value> = (0..n)
        .map(|i| serde_json::json!({"id": i, "date_gmt": "2026-12-02T10:00:00", "title": {"rendered": xml_escape(&titles[i])}, "content": {"rendered": html_bodies[i], "protected": false}, "excerpt": {"rendered": html_bodies[i]}, "link": "https://wp.example/p"}))
        .collect();
    let ninjs: Vec<serde_json::Value> = (0..n)
        .map(|i| serde_json::json!({"uri": format!("urn:h:{i}"), "type": "text", "headline": titles[i], "body_html": html_bodies[i], "versioncreated": date, "description_text": titles[i]}))
        .collect();
    vec![
        ("rss", rss(&rss_items)),
        (
            "atom",
            format!("<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>H</title><id>urn:h</id><updated>{date}</updated>{atom_entries}</feed>").into_bytes(),
        ),
        (
            "jsonfeed",
            serde_json::json!({"version": "https://jsonfeed.org/version/1.1", "title": "H", "items": json_items}).to_string().into_bytes(),
        ),
        ("wordpress", serde_json::Value::Array(wp).to_string().into_bytes()),
        ("ninjs", serde_json::Value::Array(ninjs).to_string().into_bytes()),
    ]
}

#[tokio::test]
async fn the_hostile_corpus_imports_as_inert_text_in_every_format() {
    let (payloads, links) = hostile_payloads();
    for (format, doc) in hostile_documents() {
        let f = support::fixture().await;
        let report = run(&f, &doc, &Options::default())
            .await
            .unwrap_or_else(|e| panic!("{format}: {e}"));
        // Every item is an article: nothing hostile makes an item unreadable.
        assert_eq!(
            report.created,
            payloads.len() + links.len(),
            "{format}: {report}"
        );
        assert!(
            report.dropped.total() > 0,
            "{format}: the markup was counted"
        );
        for slug in &report.changed.articles {
            let a = stored(&f, slug).await;
            for block in &a.body.blocks {
                match block {
                    Block::Paragraph { runs, .. } => {
                        for link in runs.iter().filter_map(|r| r.link.as_deref()) {
                            assert!(safe_href(link).is_some(), "{format}: {link:?}");
                        }
                    }
                    Block::Image(i) => {
                        assert!(i.src.starts_with("http"), "{format}: {:?}", i.src)
                    }
                    _ => {}
                }
            }
            // Served as a page: only the page's own scripts, no handlers, no frames.
            let reply = support::send(&f, "GET", &format!("/article/{slug}")).await;
            assert_eq!(reply.status, StatusCode::OK);
            let html = scraper::Html::parse_document(&reply.text());
            let scripts = scraper::Selector::parse("script").expect("selector");
            let kinds: Vec<_> = html
                .select(&scripts)
                .map(|s| s.value().attr("type").unwrap_or_default().to_owned())
                .collect();
            // (JSON-LD, the bootstrap, the first screen's data: the interface's catalogue is
            // named by a <meta>, not carried.)
            assert_eq!(
                kinds,
                ["application/ld+json", "module", "application/json"],
                "{format}: {slug}"
            );
            // The masthead's search form and the comment box's form are the site's own, and so is
            // the page's one inline style sheet (postbuild/src/styles.rs); no other form or style
            // may come in.
            let framed = scraper::Selector::parse(
                "iframe, object, embed, svg, math, form:not(.masthead__search):not(.comment-form), \
                 style:not(#broadsheet-style)",
            )
            .expect("selector");
            assert_eq!(html.select(&framed).count(), 0, "{format}: {slug}");
            for el in html
                .root_element()
                .descendants()
                .filter_map(scraper::ElementRef::wrap)
            {
                for (name, value) in el.value().attrs() {
                    assert!(!name.starts_with("on"), "{format}: {slug}: {name}={value}");
                    let local = value.starts_with('/') && !value.starts_with("//");
                    let fine = match name {
                        "href" => local || value.starts_with('#') || safe_href(value).is_some(),
                        "src" => {
                            local || value.starts_with("https://") || value.starts_with("http://")
                        }
                        _ => true,
                    };
                    assert!(fine, "{format}: {slug}: {name}={value}");
                }
            }
        }
    }
}

#[tokio::test]
async fn a_json_feed_item_brings_its_image_summary_and_plain_text() {
    let f = support::fixture().await;
    let doc = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Plain Times",
        "home_page_url": "https://plain.example/",
        "items": [{
            "id": "p1",
            "url": "https://plain.example/2026/first-light",
            "title": "First light",
            "summary": "Dawn, briefly.",
            "content_text": "Line one\nof the first paragraph.\n\nThe second paragraph.",
            "image": "https://plain.example/dawn.jpg",
            "date_published": "2026-12-02T07:00:00+01:00",
            "authors": [{"name": "Sol"}],
            "tags": ["Sky"]
        }]
    });
    let report = run(&f, doc.to_string().as_bytes(), &Options::default())
        .await
        .expect("imports");
    let a = stored(&f, &report.changed.articles[0]).await;
    assert!(a.slug.starts_with("first-light-"), "{}", a.slug);
    assert_eq!(a.standfirst.as_deref(), Some("Dawn, briefly."));
    assert_eq!(a.byline.map(|b| b.name).as_deref(), Some("Sol"));
    assert_eq!(a.published_at.to_rfc3339(), "2026-12-02T06:00:00Z");
    let texts: Vec<&str> = a
        .body
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        texts,
        ["Line one of the first paragraph.", "The second paragraph."]
    );
    let image = a.image.expect("its image");
    assert_eq!(image.src, "https://plain.example/dawn.jpg");
    assert_eq!((image.width, image.height, image.framed), (1600, 900, true));
}

#[tokio::test]
async fn a_json_feed_with_a_byte_order_mark_is_read() {
    let f = support::fixture().await;
    let mut doc = "\u{feff}".as_bytes().to_vec();
    doc.extend_from_slice(&fixture("jsonfeed/daringfireball.json"));
    let report = run(&f, &doc, &Options::default()).await.expect("imports");
    assert_eq!(report.created, 2);
}

#[tokio::test]
async fn an_image_enclosure_leads_and_a_podcast_enclosure_does_not() {
    let f = support::fixture().await;
    let doc = rss(&[
        item(
            "pic",
            "With a picture",
            "Wed, 02 Dec 2026 10:00:00 GMT",
            "<description>Text.</description>\
             <enclosure url=\"https://img.example/e.jpg\" type=\"image/jpeg\" length=\"12345\"/>",
        ),
        item(
            "pod",
            "With a podcast",
            "Wed, 02 Dec 2026 10:00:00 GMT",
            "<description>Text.</description>\
             <enclosure url=\"https://audio.example/e.mp3\" type=\"audio/mpeg\" length=\"12345\"/>",
        ),
    ]
    .concat());
    let report = run(&f, &doc, &Options::default()).await.expect("imports");
    let pic = stored(&f, &report.changed.articles[0]).await;
    let image = pic.image.expect("the enclosure leads");
    assert_eq!(image.src, "https://img.example/e.jpg");
    assert!(image.framed, "an enclosure has no size: framed");
    let pod = stored(&f, &report.changed.articles[1]).await;
    assert_eq!(pod.image, None);
}
