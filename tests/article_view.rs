//! The article view in a real browser: every header field and every block type, rendered as text.
#![cfg(target_arch = "wasm32")]

use broadsheet::components::article_view::ArticleView;
use broadsheet_model::Article;
use leptos::prelude::*;
use serde_json::json;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn sample() -> serde_json::Value {
    json!({
        "slug": "harbour-cranes-return",
        "section": {"slug": "business", "name": "Business"},
        "headline": "Harbour cranes return",
        "standfirst": "After two years, the port reopens.",
        "byline": {"name": "Mina Park", "email": "mina@broadsheet.example"},
        "source": "Broadsheet Wire",
        "published_at": "2026-11-27T08:30:00Z",
        "updated_at": "2026-11-27T10:05:00Z",
        "views": 1234,
        "comment_count": 0,
        "image": {"src": "/media/port.svg", "alt": "Cranes on the quay", "caption": "The port at dawn", "credit": "Studio North", "width": 1200, "height": 675},
        "body": [
            {"type": "paragraph", "text": "Plain, bold, italic and a link.", "runs": [
                {"text": "Plain, "}, {"text": "bold", "bold": true}, {"text": ", "},
                {"text": "italic", "italic": true}, {"text": " and "},
                {"text": "a link", "link": "https://example.org/report"}, {"text": "."}
            ]},
            {"type": "heading", "text": "What next"},
            {"type": "quote", "text": "We are back.", "cite": "A crane driver"},
            {"type": "image", "src": "/media/quay.svg", "alt": "The quay", "caption": "Quay four", "credit": null, "width": 800, "height": 600},
            {"type": "list", "ordered": true, "items": ["First", "Second"]},
            {"type": "list", "ordered": false, "items": ["Apples", "Pears", "Plums"]},
            {"type": "video", "src": "/v.mp4"}
        ],
        "tags": ["ports"],
        "editors_pick": false
    })
}

/// Mounts the view into a fresh element and returns that element.
/// Gives the page the English catalogue as the server writes it into every page, and has the
/// app read it as it does when it starts (`i18n::read`).
fn english_catalogue() {
    use broadsheet::i18n::{Catalogue, MESSAGES_ID};
    if document().get_element_by_id(MESSAGES_ID).is_none() {
        let catalogue = Catalogue::parse("en", include_str!("../locales/en.json")).expect("en");
        let script = document().create_element("script").expect("script");
        script
            .set_attribute("type", "application/json")
            .expect("type");
        script.set_attribute("id", MESSAGES_ID).expect("id");
        script.set_text_content(Some(&catalogue.script_text()));
        document()
            .body()
            .expect("body")
            .append_child(&script)
            .expect("append");
    }
    broadsheet::i18n::read();
}

fn mount(article: Article) -> web_sys::Element {
    english_catalogue();
    let host = document().create_element("div").expect("div");
    document()
        .body()
        .expect("body")
        .append_child(&host)
        .expect("append");
    let handle = leptos::mount::mount_to(host.clone().unchecked_into(), move || {
        view! { <ArticleView article/> }
    });
    handle.forget();
    host
}

fn one(root: &web_sys::Element, selector: &str) -> web_sys::Element {
    root.query_selector(selector)
        .expect("valid selector")
        .unwrap_or_else(|| panic!("no {selector}"))
}

fn all(root: &web_sys::Element, selector: &str) -> Vec<web_sys::Element> {
    let list = root.query_selector_all(selector).expect("valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into().ok())
        .collect()
}

fn text(e: &web_sys::Element) -> String {
    e.text_content().unwrap_or_default()
}

fn attr(e: &web_sys::Element, name: &str) -> String {
    e.get_attribute(name).unwrap_or_default()
}

#[wasm_bindgen_test]
fn header_fields() {
    let root = mount(serde_json::from_value(sample()).expect("decodes"));
    let label = one(&root, ".section-label");
    assert_eq!(text(&label), "Business");
    assert_eq!(attr(&label, "href"), "/section/business");
    assert_eq!(text(&one(&root, "h1")), "Harbour cranes return");
    assert_eq!(
        text(&one(&root, ".story__standfirst")),
        "After two years, the port reopens."
    );
    assert_eq!(text(&one(&root, ".story__author")), "Mina Park");
    let email = one(&root, ".story__email");
    assert_eq!(attr(&email, "href"), "mailto:mina@broadsheet.example");
    assert_eq!(text(&email), "mina@broadsheet.example");
    assert_eq!(
        text(&one(&root, ".story__source")),
        "Source: Broadsheet Wire"
    );
    let times: Vec<_> = all(&root, "time")
        .iter()
        .map(|t| attr(t, "datetime"))
        .collect();
    assert_eq!(times, ["2026-11-27T08:30:00Z", "2026-11-27T10:05:00Z"]);
    assert!(text(&one(&root, ".story__times")).contains("2026"));
    assert_eq!(text(&one(&root, ".story__views")), "1,234 views");
    let lead = one(&root, ".story__lead-image img");
    assert_eq!(attr(&lead, "src"), "/media/port.svg");
    assert_eq!(attr(&lead, "alt"), "Cranes on the quay");
    assert_eq!(
        (attr(&lead, "width"), attr(&lead, "height")),
        ("1200".into(), "675".into())
    );
    assert_eq!(
        text(&one(&root, ".story__lead-image figcaption")),
        "The port at dawn Studio North"
    );
}

#[wasm_bindgen_test]
fn every_block_type() {
    let root = mount(serde_json::from_value(sample()).expect("decodes"));
    let body = one(&root, ".story__body");
    let paragraph = one(&body, "p");
    assert_eq!(text(&paragraph), "Plain, bold, italic and a link.");
    assert_eq!(text(&one(&paragraph, "strong")), "bold");
    assert_eq!(text(&one(&paragraph, "em")), "italic");
    let link = one(&paragraph, "a");
    assert_eq!(attr(&link, "href"), "https://example.org/report");
    assert_eq!(text(&link), "a link");
    assert_eq!(text(&one(&body, "h2")), "What next");
    assert_eq!(text(&one(&body, "blockquote")), "We are back.");
    assert_eq!(
        text(&one(&body, ".story__quote figcaption")),
        "A crane driver"
    );
    let image = one(&body, ".story__figure img");
    assert_eq!(attr(&image, "alt"), "The quay");
    assert_eq!(text(&one(&body, ".story__figure figcaption")), "Quay four");
    let ordered: Vec<_> = all(&body, "ol li").iter().map(text).collect();
    assert_eq!(ordered, ["First", "Second"]);
    let unordered: Vec<_> = all(&body, "ul li").iter().map(text).collect();
    assert_eq!(unordered, ["Apples", "Pears", "Plums"]);
    // The unknown "video" block is left out; the six known blocks are all there.
    assert_eq!(body.child_element_count(), 6);
    assert!(body.query_selector("video").expect("selector").is_none());
}

#[wasm_bindgen_test]
fn hostile_text_stays_text_and_bad_links_are_not_links() {
    let mut json = sample();
    let hostile = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=1</script>";
    json["headline"] = hostile.into();
    json["byline"]["name"] = "<b>Eve</b>".into();
    json["image"] = serde_json::Value::Null;
    json["body"] = json!([
        {"type": "paragraph", "text": hostile},
        {"type": "paragraph", "text": "click me or me", "runs": [
            {"text": "click me", "link": "javascript:window.__pwned=1"},
            {"text": " or "},
            {"text": "me", "link": " data:text/html,<script>alert(1)</script>"}
        ]},
        {"type": "image", "src": "javascript:window.__pwned=1", "alt": "A picture", "width": 4, "height": 3}
    ]);
    let root = mount(serde_json::from_value(json).expect("decodes"));
    assert_eq!(text(&one(&root, "h1")), hostile);
    assert_eq!(text(&one(&root, ".story__author")), "<b>Eve</b>");
    assert_eq!(text(&one(&root, ".story__body p")), hostile);
    assert!(
        all(&root, "img, script, b").is_empty(),
        "markup in text must not become elements"
    );
    let second = &all(&root, ".story__body p")[1];
    assert_eq!(text(second), "click me or me");
    assert!(
        all(second, "a").is_empty(),
        "javascript: and data: targets must not be links"
    );
    let placeholder = one(&root, ".figure__missing");
    assert_eq!(attr(&placeholder, "role"), "img");
    assert_eq!(attr(&placeholder, "aria-label"), "A picture");
    let pwned = js_sys::Reflect::get(&window(), &"__pwned".into()).expect("get");
    assert!(pwned.is_undefined(), "no script may run");
}

#[wasm_bindgen_test]
fn optional_fields_can_be_absent() {
    let mut json = sample();
    for key in ["standfirst", "byline", "source", "updated_at", "image"] {
        json.as_object_mut().expect("object").remove(key);
    }
    json["views"] = 1.into();
    let root = mount(serde_json::from_value(json).expect("decodes"));
    assert_eq!(text(&one(&root, "h1")), "Harbour cranes return");
    for absent in [
        ".story__standfirst",
        ".story__byline",
        ".story__source",
        ".story__lead-image",
    ] {
        assert!(
            root.query_selector(absent).expect("selector").is_none(),
            "{absent}"
        );
    }
    assert_eq!(all(&root, "time").len(), 1);
    assert_eq!(text(&one(&root, ".story__views")), "1 view");
}

/// A small deterministic generator (xorshift), so the property below needs no crate that does
/// not run in a browser, and a failure names its seed.
struct Strings(u64);

impl Strings {
    /// Characters chosen to break a renderer that builds markup: tags, quotes, entities, slashes,
    /// scripts of other languages, emoji with joiners, bidi controls and other controls.
    const ALPHABET: &'static [&'static str] = &[
        "<",
        ">",
        "&",
        "\"",
        "'",
        "/",
        "=",
        " ",
        "  ",
        "\n",
        "\t",
        "a",
        "Z",
        "9",
        "script",
        "img",
        "onerror",
        "javascript:",
        "&amp;",
        "&lt;",
        "<!--",
        "-->",
        "]]>",
        "\u{202e}",
        "\u{200b}",
        "\u{2028}",
        "\u{7}",
        "é",
        "한",
        "😀",
        "👩‍👩‍👧",
        "Ω",
        "\\",
        "`",
        "${",
        "}}",
    ];

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn string(&mut self) -> String {
        let len = 1 + self.next() % 24;
        let mut s: String = (0..len)
            .map(|_| Self::ALPHABET[(self.next() % Self::ALPHABET.len() as u64) as usize])
            .collect();
        // Never only white space: the contract would refuse that as empty.
        s.push('x');
        s
    }
}

/// The property: for any text, what the page shows is exactly that text, and no element is made
/// of it.
#[wasm_bindgen_test]
fn rendered_text_equals_the_input_for_generated_strings() {
    for seed in 1..=60u64 {
        let mut strings = Strings(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let (headline, paragraph, item, alt) = (
            strings.string(),
            strings.string(),
            strings.string(),
            strings.string(),
        );
        let mut json = sample();
        json["headline"] = headline.clone().into();
        json["standfirst"] = paragraph.clone().into();
        json["image"]["alt"] = alt.clone().into();
        json["body"] = json!([
            {"type": "paragraph", "text": paragraph},
            {"type": "paragraph", "text": paragraph, "runs": [{"text": paragraph, "bold": true}]},
            {"type": "list", "ordered": false, "items": [item]}
        ]);
        let root = mount(serde_json::from_value(json).expect("decodes"));
        assert_eq!(text(&one(&root, "h1")), headline, "seed {seed}");
        assert_eq!(
            text(&one(&root, ".story__standfirst")),
            paragraph,
            "seed {seed}"
        );
        let paragraphs: Vec<_> = all(&root, ".story__body > p").iter().map(text).collect();
        assert_eq!(
            paragraphs,
            [paragraph.clone(), paragraph.clone()],
            "seed {seed}"
        );
        assert_eq!(text(&one(&root, ".story__body li")), item, "seed {seed}");
        assert_eq!(
            attr(&one(&root, ".story__lead-image img"), "alt"),
            alt,
            "seed {seed}"
        );
        assert_eq!(
            all(&root, ".story__body script, .story__body img").len(),
            0,
            "seed {seed}"
        );
        root.remove();
    }
}
