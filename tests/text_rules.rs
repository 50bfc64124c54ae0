//! Text rules the browser answers with its own Unicode data, so the wasm carries no tables,
//! while the server answers them with Rust's: each must give the server's answer.
//!
//! - A comment's characters: the browser's `Intl.Segmenter` against `unicode-segmentation`
//!   (`broadsheet_model::char_count`). The form's counter and limits are only honest if both
//!   count alike.
//! - An author's address name (`broadsheet_model::author_slug`): the browser's `\p{Alphabetic}`,
//!   `\p{N}` and `toLowerCase` against Rust's `char::is_alphanumeric` and `char::to_lowercase`.
//!   A byline links to the page the server finds under that name.
//!
//! Natively both sides would be the same code, so these run in the browser only.
#![cfg(target_arch = "wasm32")]

use broadsheet_model::{author_slug, char_count};
use unicode_segmentation::UnicodeSegmentation;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Pieces whose clusters the rules of UAX #29 decide: joiners, combining marks, Hangul syllables
/// and jamo, regional indicators, skin tones, variation selectors, Indic conjuncts, prepended
/// marks, line endings and controls.
const PIECES: &[&str] = &[
    "a",
    " ",
    "한",
    "\u{1100}\u{1161}\u{11A8}",
    "\u{1100}",
    "\u{1161}",
    "e\u{301}",
    "\u{301}",
    "👨\u{200D}👩\u{200D}👧",
    "\u{200D}",
    "👍🏽",
    "🏽",
    "🇰🇷",
    "🇺",
    "❤\u{FE0F}",
    "क\u{94D}ष",
    "न\u{94D}\u{200D}",
    "ि",
    "\u{600}",
    "\r\n",
    "\r",
    "\n",
    "\t",
    "\u{7}",
    "ก\u{E33}",
    "각",
    "🏳\u{FE0F}\u{200D}🌈",
    "x\u{20E3}",
    "٣",
];

/// Exactly what the server counts.
fn server_count(s: &str) -> usize {
    s.graphemes(true).count()
}

#[wasm_bindgen_test]
fn each_piece_alone_and_in_pairs() {
    for a in PIECES {
        assert_eq!(char_count(a), server_count(a), "{a:?}");
        for b in PIECES {
            let s = format!("{a}{b}");
            assert_eq!(char_count(&s), server_count(&s), "{s:?}");
        }
    }
}

#[wasm_bindgen_test]
fn generated_mixes() {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..2_000 {
        let len = 1 + next() % 12;
        let s: String = (0..len)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        assert_eq!(char_count(&s), server_count(&s), "{s:?}");
    }
}

#[wasm_bindgen_test]
fn a_long_comment() {
    let s = "한국어 👨\u{200D}👩\u{200D}👧 e\u{301} ".repeat(40);
    assert_eq!(char_count(&s), server_count(&s));
    assert_eq!(char_count(&s), 40 * 8);
}

/// The author slug's rule, stated with Rust's own Unicode tables, as the server applies it.
fn server_slug(name: &str) -> String {
    let mut slug = String::new();
    let mut gap = false;
    for c in name.chars() {
        if c.is_alphanumeric() {
            if gap && !slug.is_empty() {
                slug.push('-');
            }
            gap = false;
            slug.extend(c.to_lowercase());
        } else {
            gap = true;
        }
    }
    slug
}

/// Names in many scripts, with the letters whose lowercase is special: Turkish dotted I, Greek
/// capital sigma, German capital sharp s, Cherokee, Georgian, Deseret; digits and numbers of
/// other scripts (Arabic-Indic, Devanagari, Roman numerals, superscripts, fractions); marks,
/// joiners, punctuation and emoji.
const NAMES: &[&str] = &[
    "Jane Doe",
    "김민지",
    "Zoë O'Brien-Smith",
    "İLKER ÇELİK",
    "ΟΔΥΣΣΕΥΣ Σ",
    "STRAẞE Weiß",
    "ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ",
    "ᲒᲘᲝᲠᲒᲘ",
    "𐐔𐐯𐑅𐐨𐑉𐐯𐐻",
    "محمد ٣",
    "अनु ४२",
    "Louis Ⅻ",
    "x² ½",
    "José\u{301} e\u{301}",
    "Anna 👩\u{200D}💻 — «Reporter»",
    "Ǆemal ǅ ǆ",
    "ﬀ Ⓐ ⅰ",
    "  ",
    "…",
];

#[wasm_bindgen_test]
fn author_slugs_match_the_servers() {
    for name in NAMES {
        assert_eq!(author_slug(name), server_slug(name), "{name:?}");
    }
}

#[wasm_bindgen_test]
fn every_character_of_four_planes_slugs_alike() {
    // Each code point alone and between two letters: its class (letter or digit, or a gap) and
    // its lowercase, for the basic and supplementary multilingual planes, the ideographic planes
    // (names in rarer CJK characters) and the variation selectors of plane 14.
    let planes = (0..=0x3FFFF_u32).chain(0xE0000..=0xE01EF);
    for c in planes.filter_map(char::from_u32) {
        for s in [c.to_string(), format!("a{c}b")] {
            assert_eq!(author_slug(&s), server_slug(&s), "{s:?} U+{:04X}", c as u32);
        }
    }
}
