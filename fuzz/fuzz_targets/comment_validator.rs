//! The comment rules: whatever a reader types, the validator answers without panicking, and what
//! it accepts keeps the rules (1–40 and 1–300 user-perceived characters after trimming, no
//! control characters but newlines in the body).
#![no_main]

use broadsheet_model::{char_count, validate_comment};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (String, String)| {
    let (nickname, body) = input;
    if let Ok(valid) = validate_comment(&nickname, &body) {
        let n = char_count(&valid.nickname);
        assert!((1..=40).contains(&n), "nickname of {n}");
        let b = char_count(&valid.body);
        assert!((1..=300).contains(&b), "body of {b}");
        assert!(!valid.nickname.chars().any(char::is_control));
        assert!(!valid.body.chars().any(|c| c.is_control() && c != '\n'));
        assert_eq!(valid.nickname, valid.nickname.trim());
        assert_eq!(validate_comment(&valid.nickname, &valid.body), Ok(valid.clone()));
    }
});
