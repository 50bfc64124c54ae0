//! Comments: their wire types and the rules a new comment must meet. The app checks the same
//! rules as the server, from this one definition, so a reader is never told one thing by the form
//! and another by the server.

use serde::{Deserialize, Serialize};

use crate::Timestamp;

/// At most this many characters in a nickname.
pub const NICKNAME_MAX: usize = 40;
/// At most this many characters in a comment.
pub const BODY_MAX: usize = 300;

/// A published comment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Comment {
    pub id: i64,
    pub nickname: String,
    pub body: String,
    pub created_at: Timestamp,
}

/// One page of an article's comments, newest first, with how many there are in all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommentPage {
    pub items: Vec<Comment>,
    #[serde(default)]
    pub next_cursor: Option<String>,
    pub total: u64,
}

/// The body of `POST /api/articles/{slug}/comments`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewComment {
    /// 1-40 characters as a reader counts them (grapheme clusters) once trimmed; no control
    /// characters.
    // The pattern says what a regular expression can of the rules (`nickname_problem`): something
    // other than white space, and no control character but the white space trimmed off the
    // ends. The server's tests check it against the validator.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\x00-\x1f\x7f-\x9f]*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
        )
    )]
    pub nickname: String,
    /// 1-300 characters as a reader counts them once trimmed; no control characters but
    /// newlines (a `\r` is one).
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f]*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
        )
    )]
    pub body: String,
    /// Chosen by the client for this comment and sent again with every retry of it, so a retry
    /// never stores a second copy.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9_-]{16,64}$"))]
    pub idempotency_key: String,
    /// A field people never see or fill in; a bot that fills it is told "201" and ignored.
    /// Left out of the published schema: a bot reading it would learn to leave the trap alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub website: Option<String>,
}

/// How many characters a reader sees in `s`: user-perceived characters (extended grapheme
/// clusters), so "한국어" is 3 and a family emoji is 1.
///
/// The server counts with `unicode-segmentation`'s tables and is the judge. The browser counts
/// with its own `Intl.Segmenter`, which follows the same rules (UAX #29), so the wasm carries no
/// tables; the app's wasm tests check that both count alike (`tests/text_rules.rs`) in the
/// Chromium the tests run. A browser with older Unicode data may count a newer sequence
/// differently; the server's answer (a 422 naming the field, shown by the form) then decides.
pub fn char_count(s: &str) -> usize {
    graphemes::count(s)
}

#[cfg(not(target_arch = "wasm32"))]
mod graphemes {
    use unicode_segmentation::UnicodeSegmentation;

    pub fn count(s: &str) -> usize {
        s.graphemes(true).count()
    }
}

#[cfg(target_arch = "wasm32")]
mod graphemes {
    use js_sys::{Array, Intl, Object, Reflect};
    use wasm_bindgen::JsValue;

    thread_local! {
        /// One segmenter for the page; `None` where the browser has no `Intl.Segmenter`
        /// (Firefox before 125).
        static SEGMENTER: Option<Intl::Segmenter> = {
            let supported = Reflect::get(&js_sys::global(), &JsValue::from_str("Intl"))
                .and_then(|intl| Reflect::has(&intl, &JsValue::from_str("Segmenter")))
                .unwrap_or(false);
            supported.then(|| Intl::Segmenter::new(&Array::new(), &Object::new()))
        };
    }

    /// Without `Intl.Segmenter`, code points: more than a reader sees for an emoji with joiners
    /// or a letter with combining marks, never fewer, so the form never lets through what the
    /// server refuses.
    pub fn count(s: &str) -> usize {
        SEGMENTER.with(|segmenter| match segmenter {
            Some(segmenter) => Array::from(&segmenter.segment(s)).length() as usize,
            None => s.chars().count(),
        })
    }
}

/// A comment body as it is stored: line endings made `\n`, surrounding white space trimmed.
pub fn normalize_body(body: &str) -> String {
    body.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim()
        .to_owned()
}

/// A comment that meets the rules, trimmed and normalised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidComment {
    pub nickname: String,
    pub body: String,
}

/// What is wrong with one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    /// What is wrong (said in the site's language by `broadsheet::i18n::field_problem`).
    pub problem: FieldProblem,
}

/// What is wrong with a nickname or a comment, as a type: the app as the reader types and the
/// API when it refuses a post say it in the site's language (`broadsheet::i18n::field_problem`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldProblem {
    /// Nothing there (after trimming).
    Empty,
    /// `by` characters over the limit of `max`.
    TooLong { by: usize, max: usize },
    /// Holds control characters.
    Unshowable,
}

/// What is wrong with a nickname, if anything.
pub fn nickname_problem(nickname: &str) -> Option<FieldProblem> {
    let nickname = nickname.trim();
    let n = char_count(nickname);
    if n == 0 {
        Some(FieldProblem::Empty)
    } else if n > NICKNAME_MAX {
        Some(FieldProblem::TooLong {
            by: n - NICKNAME_MAX,
            max: NICKNAME_MAX,
        })
    } else if nickname.chars().any(char::is_control) {
        Some(FieldProblem::Unshowable)
    } else {
        None
    }
}

/// What is wrong with a comment body, if anything.
pub fn body_problem(body: &str) -> Option<FieldProblem> {
    let body = normalize_body(body);
    let n = char_count(&body);
    if n == 0 {
        Some(FieldProblem::Empty)
    } else if n > BODY_MAX {
        Some(FieldProblem::TooLong {
            by: n - BODY_MAX,
            max: BODY_MAX,
        })
    } else if body.chars().any(|c| c.is_control() && c != '\n') {
        Some(FieldProblem::Unshowable)
    } else {
        None
    }
}

/// Checks a new comment against the rules: after trimming, a nickname of 1–40 characters and a
/// body of 1–300 characters (user-perceived), no control characters except newlines in the body.
pub fn validate_comment(nickname: &str, body: &str) -> Result<ValidComment, Vec<FieldError>> {
    let errors: Vec<FieldError> = [
        ("nickname", nickname_problem(nickname)),
        ("body", body_problem(body)),
    ]
    .into_iter()
    .filter_map(|(field, problem)| {
        Some(FieldError {
            field,
            problem: problem?,
        })
    })
    .collect();
    if errors.is_empty() {
        Ok(ValidComment {
            nickname: nickname.trim().to_owned(),
            body: normalize_body(body),
        })
    } else {
        Err(errors)
    }
}

/// An idempotency key is 16–64 characters of `A-Z a-z 0-9 - _` (a UUID fits).
pub fn is_valid_idempotency_key(key: &str) -> bool {
    (16..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_segmentation::UnicodeSegmentation;

    fn body_of(n: usize, unit: &str) -> String {
        unit.repeat(n)
    }

    #[test]
    fn body_length_boundaries() {
        for unit in ["a", "한", "👨‍👩‍👧", "é"] {
            assert!(body_problem(&body_of(0, unit)).is_some(), "0 × {unit}");
            assert!(body_problem(&body_of(1, unit)).is_none(), "1 × {unit}");
            assert!(body_problem(&body_of(300, unit)).is_none(), "300 × {unit}");
            assert!(body_problem(&body_of(301, unit)).is_some(), "301 × {unit}");
        }
        assert_eq!(char_count("👨‍👩‍👧"), 1);
        assert_eq!(char_count("한국어"), 3);
        assert_eq!(char_count("e\u{301}"), 1);
    }

    #[test]
    fn nickname_length_boundaries() {
        assert!(nickname_problem("").is_some());
        assert!(nickname_problem("   ").is_some());
        assert!(nickname_problem("a").is_none());
        assert!(nickname_problem(&"김".repeat(40)).is_none());
        assert!(nickname_problem(&"김".repeat(41)).is_some());
        assert!(
            nickname_problem(&format!("  {}  ", "x".repeat(40))).is_none(),
            "trimmed first"
        );
    }

    #[test]
    fn control_characters() {
        assert!(body_problem("line one\nline two").is_none());
        assert!(body_problem("line one\r\nline two").is_none());
        assert_eq!(normalize_body(" a\r\nb\rc \n"), "a\nb\nc");
        for bad in [
            "tab\there",
            "bell\u{7}",
            "nul\0",
            "esc\u{1b}[31m",
            "del\u{7f}",
            "c1\u{85}x",
        ] {
            assert!(body_problem(bad).is_some(), "{bad:?}");
        }
        assert!(nickname_problem("two\nlines").is_some());
        assert!(nickname_problem("tab\tname").is_some());
    }

    #[test]
    fn field_errors_name_their_fields() {
        let errors = validate_comment("", &"x".repeat(301)).expect_err("invalid");
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["nickname", "body"]);
        assert_eq!(errors[0].problem, FieldProblem::Empty);
        assert_eq!(
            errors[1].problem,
            FieldProblem::TooLong {
                by: 1,
                max: BODY_MAX
            }
        );
        let ok = validate_comment("  Mina ", "  Hello\r\nthere  ").expect("valid");
        assert_eq!(
            ok,
            ValidComment {
                nickname: "Mina".into(),
                body: "Hello\nthere".into()
            }
        );
    }

    #[test]
    fn idempotency_keys() {
        assert!(is_valid_idempotency_key(
            "5f0c7a52-8f0e-4b1e-9d4e-2a9f5b7c1d3e"
        ));
        assert!(is_valid_idempotency_key(&"a".repeat(16)));
        for bad in [
            "",
            "short",
            &"a".repeat(65),
            "has space in it here",
            "ünïcödé-ünïcödé-ü",
        ] {
            assert!(!is_valid_idempotency_key(bad), "{bad:?}");
        }
    }

    /// The rules, stated a second way: the validator must agree with this on every input.
    fn reference(nickname: &str, body: &str) -> bool {
        let nick = nickname.trim();
        let nick_len = nick.graphemes(true).count();
        let body = body.replace("\r\n", "\n").replace('\r', "\n");
        let body = body.trim();
        let body_len = body.graphemes(true).count();
        (1..=40).contains(&nick_len)
            && !nick.chars().any(char::is_control)
            && (1..=300).contains(&body_len)
            && body.chars().all(|c| c == '\n' || !c.is_control())
    }

    fn text(max: usize) -> impl Strategy<Value = String> {
        // A mix of ASCII, Korean, emoji with joiners, combining marks, controls and white space.
        let pieces = prop_oneof![
            "[a-z ]{1,3}",
            Just("한".to_owned()),
            Just("👨‍👩‍👧".to_owned()),
            Just("e\u{301}".to_owned()),
            Just("\n".to_owned()),
            Just("\r\n".to_owned()),
            Just("\t".to_owned()),
            Just("\u{7}".to_owned()),
            Just(" ".to_owned()),
        ];
        proptest::collection::vec(pieces, 0..max).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn the_validator_accepts_exactly_the_rules(nickname in text(50), body in text(320)) {
            prop_assert_eq!(validate_comment(&nickname, &body).is_ok(), reference(&nickname, &body));
        }

        #[test]
        fn valid_comments_are_stored_trimmed_and_within_limits(nickname in text(50), body in text(320)) {
            if let Ok(valid) = validate_comment(&nickname, &body) {
                prop_assert!(char_count(&valid.nickname) <= NICKNAME_MAX);
                prop_assert!(char_count(&valid.body) <= BODY_MAX);
                prop_assert_eq!(valid.body.trim(), valid.body.as_str());
                prop_assert!(!valid.body.contains('\r'));
            }
        }
    }
}
