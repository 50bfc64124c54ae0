use super::*;
use proptest::prelude::*;

fn sample_json() -> serde_json::Value {
    serde_json::json!({
        "slug": "harbour-cranes-return",
        "section": {"slug": "business", "name": "Business"},
        "headline": "Harbour cranes return",
        "standfirst": "After two years, the port reopens.",
        "byline": {"name": "Mina Park", "email": "mina@broadsheet.example"},
        "source": "Broadsheet Wire",
        "published_at": "2026-11-27T08:30:00Z",
        "updated_at": "2026-11-27T19:00:00+09:00",
        "views": 1234,
        "comment_count": 3,
        "image": {"src": "/media/port.svg", "alt": "Cranes", "caption": "The port", "credit": "Studio", "width": 1200, "height": 675},
        "body": [
            {"type": "paragraph", "text": "Plain and bold.", "runs": [{"text": "Plain and "}, {"text": "bold", "bold": true}, {"text": "."}]},
            {"type": "heading", "text": "What next"},
            {"type": "quote", "text": "We are back.", "cite": "A docker"},
            {"type": "image", "src": "/media/quay.svg", "alt": "Quay", "caption": null, "credit": null, "width": 800, "height": 600},
            {"type": "list", "ordered": true, "items": ["One", "Two"]}
        ],
        "tags": ["ports", "trade"],
        "editors_pick": true
    })
}

#[test]
fn an_article_round_trips_through_json() {
    let article: Article = serde_json::from_value(sample_json()).expect("decodes");
    assert_eq!(article.body.blocks.len(), 5);
    assert!(article.body.skipped.is_empty());
    assert_eq!(article.views, 1234);
    let again: Article =
        serde_json::from_str(&serde_json::to_string(&article).expect("encodes")).expect("decodes");
    assert_eq!(again, article);
    assert!(article.validate().is_empty(), "{:?}", article.validate());
}

#[test]
fn timestamps_keep_their_instant_and_offset() {
    let article: Article = serde_json::from_value(sample_json()).expect("decodes");
    let updated = article.updated_at.expect("has updated_at");
    assert_eq!(updated.to_rfc3339(), "2026-11-27T19:00:00+09:00");
    assert_eq!(
        updated.unix_seconds(),
        article.published_at.unix_seconds() + 90 * 60
    );
}

#[test]
fn unknown_fields_are_ignored() {
    let mut json = sample_json();
    json["video"] = serde_json::json!({"src": "x"});
    json["body"][0]["dropcap"] = serde_json::json!(true);
    let article: Article = serde_json::from_value(json).expect("decodes");
    assert_eq!(article.body.blocks.len(), 5);
}

#[test]
fn an_unknown_block_is_skipped_and_reported_and_the_rest_kept() {
    let mut json = sample_json();
    let body = json["body"].as_array_mut().expect("array");
    body.insert(1, serde_json::json!({"type": "video", "src": "/v.mp4"}));
    body.insert(3, serde_json::json!({"type": "heading"}));
    body.insert(4, serde_json::json!(42));
    let article: Article = serde_json::from_value(json).expect("decodes");
    assert_eq!(article.body.blocks.len(), 5);
    let skipped: Vec<_> = article.body.skipped.iter().map(|s| s.index).collect();
    assert_eq!(skipped, [1, 3, 4]);
    assert_eq!(
        article.body.skipped[0].reason,
        "unknown block type \"video\""
    );
    assert!(
        article.body.skipped[1].reason.contains("text"),
        "{:?}",
        article.body.skipped[1]
    );
    // Validation names the skipped blocks by their position as sent.
    let paths: Vec<_> = article.validate().into_iter().map(|p| p.path).collect();
    assert_eq!(paths, ["body[1]", "body[3]", "body[4]"]);
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    for bad in [
        "",
        "null",
        "[]",
        "{}",
        r#"{"slug": 1}"#,
        r#"{"slug":"a","section":{"slug":"s","name":"S"},"headline":"h","published_at":"yesterday","body":[]}"#,
        r#"{"slug":"a","section":{"slug":"s","name":"S"},"headline":"h","published_at":"2026-01-01T00:00:00Z","body":{}}"#,
    ] {
        assert!(
            serde_json::from_str::<Article>(bad).is_err(),
            "{bad:?} must not decode"
        );
    }
}

#[test]
fn validation_names_each_problem_by_path() {
    let mut json = sample_json();
    json["slug"] = serde_json::json!("Not A Slug");
    json["headline"] = serde_json::json!("   ");
    json["updated_at"] = serde_json::json!("2020-01-01T00:00:00Z");
    json["body"][0]["runs"][1]["text"] = serde_json::json!("BOLD");
    json["body"][3]["src"] = serde_json::json!("javascript:alert(1)");
    json["body"][4]["items"] = serde_json::json!([]);
    let article: Article = serde_json::from_value(json).expect("decodes");
    let paths: Vec<_> = article.validate().into_iter().map(|p| p.path).collect();
    assert_eq!(
        paths,
        [
            "slug",
            "headline",
            "updated_at",
            "body[0].runs",
            "body[3].src",
            "body[4].items"
        ]
    );
}

#[test]
fn runs_that_do_not_spell_the_text_fall_back_to_the_text() {
    let runs = vec![Run::plain("Hello "), Run::plain("world")];
    assert_eq!(paragraph_runs("Hello world", &runs), runs);
    assert_eq!(
        paragraph_runs("Hello there", &runs),
        vec![Run::plain("Hello there")]
    );
    assert_eq!(paragraph_runs("Hi", &[]), vec![Run::plain("Hi")]);
}

#[test]
fn slugs() {
    for good in ["a", "world", "harbour-cranes-2026"] {
        assert!(is_valid_slug(good), "{good}");
    }
    for bad in ["", "-a", "a-", "A", "a b", "a/b", "ä", &"a".repeat(121)] {
        assert!(!is_valid_slug(bad), "{bad}");
    }
}

#[test]
fn error_body_shape() {
    let e = ApiError::new("not_found", "No article here.");
    assert_eq!(
        serde_json::to_value(&e).expect("encodes"),
        serde_json::json!({"error": {"code": "not_found", "message": "No article here."}})
    );
}

fn arb_text() -> impl Strategy<Value = String> {
    "\\PC{1,40}"
}

fn arb_block() -> impl Strategy<Value = Block> {
    prop_oneof![
        arb_text().prop_map(|text| Block::Paragraph { text, runs: vec![] }),
        (arb_text(), arb_text(), any::<bool>()).prop_map(|(a, b, bold)| Block::Paragraph {
            text: format!("{a}{b}"),
            runs: vec![
                Run::plain(a),
                Run {
                    text: b,
                    bold,
                    italic: !bold,
                    link: Some("https://example.org".into())
                }
            ],
        }),
        arb_text().prop_map(|text| Block::Heading { text }),
        (arb_text(), proptest::option::of(arb_text()))
            .prop_map(|(text, cite)| Block::Quote { text, cite }),
        (any::<bool>(), proptest::collection::vec(arb_text(), 1..4))
            .prop_map(|(ordered, items)| Block::List { ordered, items }),
    ]
}

proptest! {
    #[test]
    fn bodies_round_trip(blocks in proptest::collection::vec(arb_block(), 0..8)) {
        let body = Body::from(blocks);
        let json = serde_json::to_string(&body).expect("encodes");
        let again: Body = serde_json::from_str(&json).expect("decodes");
        prop_assert_eq!(again, body);
    }

    #[test]
    fn decoding_arbitrary_text_never_panics(s in "\\PC{0,200}") {
        let _ = serde_json::from_str::<Article>(&s);
        let _ = serde_json::from_str::<Body>(&s);
    }

    /// JSON built from the contract's own field names, nested and mistyped at random: decoding
    /// either succeeds or fails cleanly, and what succeeds encodes and decodes back to itself.
    #[test]
    fn decoding_contract_shaped_json_never_panics(value in arb_json()) {
        let text = value.to_string();
        if let Ok(article) = serde_json::from_str::<Article>(&text) {
            let _ = article.validate();
            let again: Article = serde_json::from_str(&serde_json::to_string(&article).expect("encodes"))
                .expect("decodes");
            prop_assert_eq!(again.body.blocks, article.body.blocks);
        }
        let _ = serde_json::from_str::<crate::CommentPage>(&text);
        if let Ok(new) = serde_json::from_str::<crate::NewComment>(&text) {
            let _ = crate::validate_comment(&new.nickname, &new.body);
        }
    }
}

/// JSON values whose object keys are the contract's field names, so decoding gets deep.
fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    const KEYS: &[&str] = &[
        "slug",
        "section",
        "name",
        "headline",
        "standfirst",
        "byline",
        "email",
        "source",
        "published_at",
        "updated_at",
        "views",
        "comment_count",
        "image",
        "src",
        "alt",
        "width",
        "height",
        "body",
        "type",
        "text",
        "runs",
        "bold",
        "italic",
        "link",
        "ordered",
        "items",
        "cite",
        "tags",
        "editors_pick",
        "nickname",
        "id",
        "created_at",
        "next_cursor",
        "idempotency_key",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop_oneof![
            Just("2026-11-27T08:30:00Z".to_owned()),
            Just("paragraph".to_owned()),
            Just("image".to_owned()),
            "\\PC{0,20}",
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(proptest::sample::select(KEYS), inner, 0..10).prop_map(
                |map| Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            ),
        ]
    })
}

#[test]
fn description_prefers_the_standfirst_then_the_first_paragraph() {
    let mut article: Article = serde_json::from_value(sample_json()).expect("decodes");
    assert_eq!(
        article.description(200),
        "After two years, the port reopens."
    );
    article.standfirst = None;
    assert_eq!(article.description(200), "Plain and bold.");
    assert_eq!(article.description(10), "Plain and…");
    article.body = Body::default();
    assert_eq!(article.description(200), "Harbour cranes return");
}

#[test]
fn a_framed_image_says_so_and_others_leave_it_out() {
    let framed: Image = serde_json::from_value(serde_json::json!({
        "src": "https://cdn.example/a.jpg", "alt": "A", "width": 1600, "height": 900, "framed": true
    }))
    .expect("decodes");
    assert!(framed.framed);
    assert_eq!(
        serde_json::to_value(&framed).expect("encodes")["framed"],
        serde_json::json!(true)
    );
    let sized: Image = serde_json::from_value(serde_json::json!({
        "src": "/media/a.svg", "alt": "A", "width": 1200, "height": 675
    }))
    .expect("an image without the field decodes");
    assert!(!sized.framed);
    assert!(
        serde_json::to_value(&sized)
            .expect("encodes")
            .get("framed")
            .is_none()
    );
}

#[test]
fn an_article_language_is_a_bcp47_tag_or_absent() {
    let article: Article = serde_json::from_value(sample_json()).expect("decodes");
    assert_eq!(article.lang, None);
    assert_eq!(article.lang_dir(), (None, None));
    // Absent stays absent on the wire, so old readers see the contract they knew.
    assert!(
        serde_json::to_value(&article)
            .expect("encodes")
            .get("lang")
            .is_none()
    );

    let mut json = sample_json();
    json["lang"] = serde_json::json!("ar-EG");
    let article: Article = serde_json::from_value(json).expect("decodes");
    assert!(article.validate().is_empty());
    assert_eq!(article.lang_dir(), (Some("ar-EG".to_owned()), Some("rtl")));

    for bad in ["arabic", "", "ar_EG!", "<ko>"] {
        let mut json = sample_json();
        json["lang"] = serde_json::json!(bad);
        let article: Article = serde_json::from_value(json).expect("decodes");
        let paths: Vec<_> = article.validate().into_iter().map(|p| p.path).collect();
        assert_eq!(paths, ["lang"], "{bad:?}");
    }
}
