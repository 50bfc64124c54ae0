//! The comment decoders: a page of comments (what the app reads), one comment (the answer to a
//! post) and a new comment (what the server reads). Never a panic; what decodes round-trips.
#![no_main]

use broadsheet_model::{Comment, CommentPage, NewComment, validate_comment};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(page) = serde_json::from_str::<CommentPage>(text) {
        let encoded = serde_json::to_string(&page).expect("encodes");
        let again: CommentPage = serde_json::from_str(&encoded).expect("decodes");
        assert_eq!(again, page);
    }
    if let Ok(comment) = serde_json::from_str::<Comment>(text) {
        let encoded = serde_json::to_string(&comment).expect("encodes");
        assert_eq!(serde_json::from_str::<Comment>(&encoded).expect("decodes"), comment);
    }
    if let Ok(new) = serde_json::from_str::<NewComment>(text) {
        let _ = validate_comment(&new.nickname, &new.body);
    }
});
