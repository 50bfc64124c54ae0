//! The interface's message catalogues (`locales/*.json`, embedded at build time by `build.rs`):
//! which one a site's `--lang` takes, and the pseudo-locale made from English.
//!
//! A site speaks one language. `--lang ko-KR` takes `ko.json` (the exact tag's file first, then its
//! language's); a tag with no catalogue is refused, naming those there are. `--lang en-XA` is the
//! pseudo-locale: English with every letter accented and every message wrapped in `⟦…⟧`, so a
//! test can tell interface text that came from the catalogue from text that did not.

use std::sync::Arc;

use broadsheet::i18n::{Catalogue, Messages};

include!(concat!(env!("OUT_DIR"), "/catalogues.rs"));

/// The pseudo-locale's tag (`XA`: a private-use region; Chrome and Android use the same).
pub const PSEUDO: &str = "en-XA";

/// The tags that have a catalogue, and the pseudo-locale.
pub fn available() -> Vec<&'static str> {
    let mut tags: Vec<&str> = SHIPPED.iter().map(|(tag, _)| *tag).collect();
    tags.push(PSEUDO);
    tags
}

/// The text of the shipped catalogue `tag` (exactly as named in `locales/`).
pub fn source(tag: &str) -> Option<&'static str> {
    SHIPPED
        .iter()
        .find(|(t, _)| *t == tag)
        .map(|(_, text)| *text)
}

/// The messages for a site in `lang` (a BCP 47 tag): the catalogue of the exact tag, else of
/// its language subtag (`ko-KR` → `ko`, its dates and numbers then `ko-KR`'s); the pseudo-locale
/// for `en-XA`. An error naming the
/// catalogues there are when none fits.
pub fn load(lang: &str) -> Result<Arc<Messages>, String> {
    let catalogue = if lang.eq_ignore_ascii_case(PSEUDO) {
        pseudo(&parse("en")?)
    } else {
        let language = lang.split(['-', '_']).next().unwrap_or(lang);
        let tag = SHIPPED
            .iter()
            .map(|(t, _)| *t)
            .find(|t| t.eq_ignore_ascii_case(lang))
            .or_else(|| {
                SHIPPED
                    .iter()
                    .map(|(t, _)| *t)
                    .find(|t| t.eq_ignore_ascii_case(language))
            })
            .ok_or_else(|| {
                format!(
                    "there is no interface catalogue for {lang:?}: the catalogues are {} \
                     (add locales/{language}.json to make one; see the README)",
                    available().join(", ")
                )
            })?;
        let mut catalogue = parse(tag)?;
        if !tag.eq_ignore_ascii_case(lang) {
            // `--lang en-US`: the English words, American dates and numbers.
            catalogue.locale = lang.replace('_', "-");
        }
        catalogue
    };
    Messages::new(catalogue).map(Arc::new)
}

/// The shipped catalogue `tag`, parsed.
pub fn parse(tag: &str) -> Result<Catalogue, String> {
    let text = source(tag).ok_or_else(|| format!("no catalogue {tag}"))?;
    Catalogue::parse(tag, text).map_err(|e| format!("locales/{tag}.json: {e}"))
}

/// The pseudo-locale made from `english`: each message's text outside its `{{ }}` placeholders
/// accented (a → á…), lengthened by about a third (languages run longer than English), and
/// wrapped in `⟦…⟧`. `site.name` too, so the site's name in a sentence is bracketed twice.
pub fn pseudo(english: &Catalogue) -> Catalogue {
    let messages = english
        .messages
        .iter()
        .map(|(key, text)| (key.clone(), pseudo_text(text)))
        .collect();
    Catalogue {
        lang: PSEUDO.to_owned(),
        dir: "ltr".to_owned(),
        locale: english.format_locale().to_owned(),
        messages,
    }
}

fn pseudo_text(text: &str) -> String {
    let mut out = String::from("⟦");
    let mut rest = text;
    let mut letters = 0usize;
    while !rest.is_empty() {
        let (plain, placeholder, after) = match rest.find("{{") {
            Some(open) => match rest[open..].find("}}") {
                Some(close) => (
                    &rest[..open],
                    &rest[open..open + close + 2],
                    &rest[open + close + 2..],
                ),
                None => (rest, "", ""),
            },
            None => (rest, "", ""),
        };
        for c in plain.chars() {
            if c.is_alphabetic() {
                letters += 1;
            }
            out.push(accent(c));
        }
        out.push_str(placeholder);
        rest = after;
    }
    // About a third longer: translations often are.
    out.extend(std::iter::repeat_n('·', letters.div_ceil(3)));
    out.push('⟧');
    out
}

fn accent(c: char) -> char {
    match c {
        'a' => 'á',
        'e' => 'é',
        'i' => 'í',
        'o' => 'ó',
        'u' => 'ú',
        'y' => 'ý',
        'c' => 'ç',
        'n' => 'ñ',
        's' => 'š',
        'z' => 'ž',
        'A' => 'Á',
        'E' => 'É',
        'I' => 'Í',
        'O' => 'Ó',
        'U' => 'Ú',
        'C' => 'Ç',
        'N' => 'Ñ',
        'S' => 'Š',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_language_of_a_longer_tag_and_refuses_an_unknown_one() {
        assert_eq!(load("ko-KR").map(|m| m.lang().to_owned()), Ok("ko".into()));
        assert_eq!(load("ar").map(|m| m.dir().to_owned()), Ok("rtl".into()));
        let refusal = load("fr").expect_err("no French");
        assert!(refusal.contains("ar, en, ko, en-XA"), "{refusal}");
    }

    #[test]
    fn a_region_in_the_tag_sets_how_dates_and_numbers_read() {
        let at = broadsheet_model::Timestamp::parse("2026-11-07T13:05:00Z").expect("valid");
        let dates = |tag: &str| load(tag).map(|m| m.datetime(at));
        assert_eq!(dates("en"), Ok("7 November 2026 at 13:05".into()));
        assert_eq!(
            dates("en-US"),
            Ok("November 7, 2026 at 1:05\u{202f}PM".into())
        );
        assert_eq!(dates("en_US"), dates("en-US"));
        assert_eq!(
            dates("en-XA"),
            dates("en"),
            "the pseudo-locale keeps English forms"
        );
        assert_eq!(
            load("ar-EG").map(|m| (m.lang().to_owned(), m.number(1234))),
            Ok(("ar".into(), "١٬٢٣٤".into()))
        );
    }

    #[test]
    fn the_pseudo_locale_keeps_placeholders_and_brackets_each_message() {
        let m = load("en-XA").expect("the pseudo-locale");
        assert_eq!(m.lang(), "en-XA");
        let title = m.fill("site.page_title", &[("title", "T")]);
        assert!(title.starts_with("⟦T — ⟦Bróádšhéét"), "{title}");
        assert!(title.ends_with('⟧'));
        assert_eq!(pseudo_text("{{ a }}!"), "⟦{{ a }}!⟧");
    }
}
