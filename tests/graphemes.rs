//! The browser counts a comment's characters with its own `Intl.Segmenter`, the server with
//! `unicode-segmentation`'s tables (`broadsheet_model::char_count`). The form's counter and its
//! limits are only honest if both count alike: these tests compare them, in a real browser, on
//! the scripts and sequences where grapheme rules matter. Natively both would be the same code,
//! so they run in the browser only.
#![cfg(target_arch = "wasm32")]

use broadsheet_model::char_count;
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
