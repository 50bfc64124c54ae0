//! The interface's catalogues (`locales/*.json`): each has every message English has, with the
//! same placeholders, and its plural messages have exactly its language's CLDR categories (from
//! ICU4X's `icu_plurals`, the data the server's plural rules use); every key the code names
//! exists, and every message is used.

use std::collections::{BTreeMap, BTreeSet};

use broadsheet::i18n::{CATEGORIES, Catalogue, category_name, placeholders};
use broadsheet_server::catalogues::{self, SHIPPED};

/// A catalogue's messages by base key (`article.views` for `article.views_one`): each form's
/// category (`None` for a plain message) and text.
type Forms = BTreeMap<String, BTreeMap<Option<&'static str>, String>>;

fn forms(catalogue: &Catalogue) -> Forms {
    let mut out = Forms::new();
    for (key, text) in &catalogue.messages {
        let (base, category) = CATEGORIES
            .iter()
            .find_map(|c| key.strip_suffix(&format!("_{c}")).map(|b| (b, Some(*c))))
            .unwrap_or((key.as_str(), None));
        out.entry(base.to_owned())
            .or_default()
            .insert(category, text.clone());
    }
    out
}

/// The language's CLDR cardinal categories.
fn cldr_categories(lang: &str) -> BTreeSet<&'static str> {
    let locale = icu_locale_core::Locale::try_from_str(lang).expect("a tag");
    let rules = icu_plurals::PluralRules::try_new_cardinal((&locale).into()).expect("rules");
    rules.categories().map(category_name).collect()
}

fn english() -> Forms {
    forms(&catalogues::parse("en").expect("en.json parses"))
}

#[test]
fn english_is_shipped_with_korean_and_arabic() {
    let tags: Vec<&str> = SHIPPED.iter().map(|(t, _)| *t).collect();
    for tag in ["en", "ko", "ar"] {
        assert!(tags.contains(&tag), "{tag} in {tags:?}");
    }
}

#[test]
fn every_catalogue_has_englishs_messages_and_placeholders() {
    let english = english();
    for (tag, _) in SHIPPED {
        let theirs = forms(&catalogues::parse(tag).expect("parses"));
        let (ours_keys, their_keys): (BTreeSet<_>, BTreeSet<_>) =
            (english.keys().collect(), theirs.keys().collect());
        assert_eq!(
            ours_keys
                .symmetric_difference(&their_keys)
                .collect::<Vec<_>>(),
            Vec::<&&String>::new(),
            "{tag}: messages missing or extra"
        );
        for (base, en_forms) in &english {
            let named = |forms: &BTreeMap<Option<&str>, String>| -> BTreeSet<String> {
                forms.values().flat_map(|t| placeholders(t)).collect()
            };
            let expected = named(en_forms);
            for (category, text) in &theirs[base] {
                assert_eq!(
                    text.matches("{{").count(),
                    text.matches("}}").count(),
                    "{tag} {base} {category:?}: unbalanced braces in {text:?}"
                );
                let got: BTreeSet<String> = placeholders(text).into_iter().collect();
                // `site` may be used anywhere; a form for one number may spell the number out
                // ("one view" in words) instead of `{{ count }}`.
                let mut missing: BTreeSet<&String> = expected.difference(&got).collect();
                if category.is_some_and(|c| c != "other") {
                    missing.remove(&"count".to_owned());
                }
                let extra: Vec<&String> =
                    got.difference(&expected).filter(|p| *p != "site").collect();
                assert!(
                    missing.is_empty() && extra.is_empty(),
                    "{tag} {base} {category:?}: placeholders missing {missing:?}, unknown {extra:?} in {text:?}"
                );
            }
        }
    }
}

#[test]
fn plural_messages_have_exactly_the_languages_cldr_categories() {
    for (tag, _) in SHIPPED {
        let categories = cldr_categories(tag);
        for (base, forms) in forms(&catalogues::parse(tag).expect("parses")) {
            let got: BTreeSet<&str> = forms.keys().flatten().copied().collect();
            if got.is_empty() {
                continue; // a plain message: every number reads alike
            }
            assert!(
                !forms.contains_key(&None),
                "{tag} {base}: both a plain message and plural forms"
            );
            assert_eq!(got, categories, "{tag} {base}: plural forms");
        }
    }
    assert_eq!(cldr_categories("ko"), BTreeSet::from(["other"]));
    assert_eq!(cldr_categories("ar").len(), 6);
}

/// Every `"namespace.name"` literal in the code that names a catalogue namespace.
fn keys_in_code() -> BTreeSet<String> {
    let namespaces: BTreeSet<String> = english()
        .keys()
        .filter_map(|k| k.split_once('.').map(|(n, _)| n.to_owned()))
        .collect();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut keys = BTreeSet::new();
    let mut stack = vec![root.join("src"), root.join("server/src")];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).expect("readable") {
                stack.push(entry.expect("entry").path());
            }
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("text");
        for literal in text.split('"').skip(1).step_by(2) {
            let Some((namespace, name)) = literal.split_once('.') else {
                continue;
            };
            // (File names such as "embed.js" are not keys.)
            let is_file = ["js", "json", "webmanifest", "html", "xml"].contains(&name);
            let is_key = !is_file
                && namespaces.contains(namespace)
                && !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit());
            if is_key {
                keys.insert(literal.to_owned());
            }
        }
    }
    keys
}

#[test]
fn every_key_the_code_names_exists_and_every_message_is_used() {
    let english = english();
    let used = keys_in_code();
    let unknown: Vec<&String> = used.iter().filter(|k| !english.contains_key(*k)).collect();
    assert!(unknown.is_empty(), "keys not in en.json: {unknown:?}");
    // The share networks' names are looked up by the network's key (`share.network_{key}`).
    let unused: Vec<&String> = english
        .keys()
        .filter(|k| !used.contains(*k) && !k.starts_with("share.network_"))
        .collect();
    assert!(unused.is_empty(), "messages no code uses: {unused:?}");
}

#[test]
fn the_pseudo_locale_brackets_every_message_and_keeps_its_placeholders() {
    let english = catalogues::parse("en").expect("parses");
    let pseudo = catalogues::pseudo(&english);
    assert_eq!(pseudo.messages.len(), english.messages.len());
    for (key, text) in &pseudo.messages {
        assert!(
            text.starts_with('⟦') && text.ends_with('⟧'),
            "{key}: {text}"
        );
        assert_eq!(
            placeholders(text),
            placeholders(&english.messages[key]),
            "{key}"
        );
    }
}

#[test]
fn a_language_without_a_catalogue_is_refused_naming_those_there_are() {
    let refusal = catalogues::load("fr-CA").expect_err("no French");
    assert!(refusal.contains("\"fr-CA\""), "{refusal}");
    for tag in catalogues::available() {
        assert!(refusal.contains(tag), "{refusal} names {tag}");
    }
    assert_eq!(catalogues::load("ar-EG").expect("Arabic").lang(), "ar");
}
