//! What the comment form holds and the rules it follows, apart from how it looks: a plain value
//! that the form keeps in one signal, tested natively (`cargo test -p broadsheet`).

use crate::i18n;
use std::collections::BTreeMap;

use broadsheet_model::{
    BODY_MAX, Comment, FieldProblem, NewComment, body_problem, char_count, nickname_problem,
    normalize_body,
};

use super::draft::Draft;
use crate::api::PostError;

/// A field of the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Nickname,
    Body,
}

impl Field {
    /// The field's name in the API's field errors.
    pub fn name(self) -> &'static str {
        match self {
            Field::Nickname => "nickname",
            Field::Body => "body",
        }
    }

    /// The id of the field's element.
    pub fn id(self) -> &'static str {
        match self {
            Field::Nickname => "comment-nickname",
            Field::Body => "comment-body",
        }
    }

    fn rule(self) -> fn(&str) -> Option<FieldProblem> {
        match self {
            Field::Nickname => nickname_problem,
            Field::Body => body_problem,
        }
    }

    /// `problem` with this field, in the site's language.
    fn message(self, problem: FieldProblem) -> String {
        i18n::field_problem(self.name(), problem)
    }
}

/// How close the comment is to the limit; the counter is announced only when this changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Band {
    Room,
    Near,
    Full,
    Over,
}

/// From this many characters on, the counter warns.
const NEAR: usize = BODY_MAX - 30;

impl Band {
    pub fn of(count: usize) -> Band {
        match count {
            c if c > BODY_MAX => Band::Over,
            BODY_MAX => Band::Full,
            c if c >= NEAR => Band::Near,
            _ => Band::Room,
        }
    }

    pub fn announcement(self) -> String {
        let limit = BODY_MAX as u64;
        match self {
            Band::Room => String::new(),
            Band::Near => i18n::count("comments.near_limit", limit - NEAR as u64, &[]),
            Band::Full => i18n::count("comments.at_limit", limit, &[]),
            Band::Over => i18n::count("comments.over_limit", limit, &[]),
        }
    }
}

/// What the last attempt to post came to.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Posted,
    Failed(PostError),
}

/// What pressing "Post comment" leads to.
#[derive(Debug, PartialEq)]
pub enum Submit {
    /// A post is already on its way: nothing more.
    AlreadyPosting,
    /// This field breaks a rule (it now says which): focus it.
    Invalid(Field),
    /// Send this.
    Send(NewComment),
}

/// The form's whole state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FormState {
    pub nickname: String,
    pub body: String,
    /// The idempotency key of the post of exactly this text; a new one once the text changes.
    pub key: Option<String>,
    /// The field people never see; bots fill it in.
    pub trap: String,
    pub posting: bool,
    pub outcome: Option<Outcome>,
    /// The server's sentence per refused field, until that field is edited.
    pub server_errors: BTreeMap<String, String>,
    /// Whether the reader tried to post: rules are shown from then on.
    pub checked: bool,
}

impl FormState {
    /// The form as the reader left it.
    pub fn new(draft: Draft) -> FormState {
        FormState {
            nickname: draft.nickname,
            body: draft.body,
            key: draft.key,
            ..FormState::default()
        }
    }

    /// What is kept across reloads.
    pub fn draft(&self) -> Draft {
        Draft {
            nickname: self.nickname.clone(),
            body: self.body.clone(),
            key: self.key.clone(),
        }
    }

    /// The comment's length as the server counts it.
    pub fn count(&self) -> usize {
        char_count(&normalize_body(&self.body))
    }

    pub fn band(&self) -> Band {
        Band::of(self.count())
    }

    fn value(&self, field: Field) -> &str {
        match field {
            Field::Nickname => &self.nickname,
            Field::Body => &self.body,
        }
    }

    /// What is wrong with a field, to show beside it: once the server refused it, or once the
    /// reader has tried to post, the rule it breaks. (The server's sentence is English, for API
    /// clients: a refusal the model's rules do not explain gets `comments.field_refused`.)
    pub fn problem(&self, field: Field) -> Option<String> {
        let broken = field.rule()(self.value(field)).map(|p| field.message(p));
        if self.server_errors.contains_key(field.name()) {
            Some(broken.unwrap_or_else(|| i18n::t("comments.field_refused")))
        } else if self.checked {
            broken
        } else {
            None
        }
    }

    /// Why the button cannot post right now, said next to it.
    pub fn blocker(&self) -> Option<String> {
        let n = self.count();
        if n > BODY_MAX {
            Some(i18n::count("comments.shorten", (n - BODY_MAX) as u64, &[]))
        } else if n == 0 {
            Some(i18n::t("comments.write_to_post"))
        } else if self.nickname.trim().is_empty() {
            Some(i18n::t("comments.name_to_post"))
        } else {
            None
        }
    }

    /// The reader typed `value` into `field`: a changed text is a new comment (a new key), the
    /// server's word on that field no longer holds, and "posted" is old news.
    pub fn edit(&mut self, field: Field, value: String) {
        match field {
            Field::Nickname => self.nickname = value,
            Field::Body => self.body = value,
        }
        self.key = None;
        self.server_errors.remove(field.name());
        if self.outcome == Some(Outcome::Posted) {
            self.outcome = None;
        }
    }

    /// The reader asked to post. A new post gets a key from `new_key` and keeps it until it is
    /// stored, so every retry of it is the same post.
    pub fn submit(&mut self, new_key: impl FnOnce() -> String) -> Submit {
        if self.posting {
            return Submit::AlreadyPosting;
        }
        self.checked = true;
        for field in [Field::Nickname, Field::Body] {
            if field.rule()(self.value(field)).is_some() {
                return Submit::Invalid(field);
            }
        }
        let idempotency_key = self.key.get_or_insert_with(new_key).clone();
        self.posting = true;
        self.outcome = None;
        Submit::Send(NewComment {
            nickname: self.nickname.clone(),
            body: self.body.clone(),
            idempotency_key,
            website: Some(self.trap.clone()).filter(|w| !w.is_empty()),
        })
    }

    /// The post came back with `result`. Returns the field to focus, if the server refused one.
    pub fn finish(&mut self, result: &Result<Comment, PostError>) -> Option<Field> {
        self.posting = false;
        match result {
            Ok(_) => {
                // Text typed while the post was on its way is another comment (editing dropped
                // the key): it stays.
                if self.key.is_some() {
                    self.body.clear();
                }
                self.key = None;
                self.checked = false;
                self.server_errors.clear();
                self.outcome = Some(Outcome::Posted);
                None
            }
            Err(PostError::Invalid(fields)) => {
                let first = if fields.contains_key("nickname") {
                    Field::Nickname
                } else {
                    Field::Body
                };
                self.server_errors = fields.clone();
                self.outcome = Some(Outcome::Failed(PostError::Invalid(BTreeMap::new())));
                Some(first)
            }
            Err(e) => {
                self.outcome = Some(Outcome::Failed(e.clone()));
                None
            }
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use broadsheet_model::Timestamp;

    use super::*;
    use crate::api::FetchError;

    fn filled() -> FormState {
        FormState::new(Draft {
            nickname: "Mina".into(),
            body: "Good piece.".into(),
            key: None,
        })
    }

    fn stored(state: &FormState) -> Comment {
        Comment {
            id: 7,
            nickname: state.nickname.clone(),
            body: state.body.clone(),
            created_at: Timestamp::parse("2026-12-02T08:00:00Z").expect("a time"),
        }
    }

    #[test]
    fn counts_as_the_server_does_and_bands_the_counter() {
        let mut state = FormState::default();
        state.edit(Field::Body, "  한👩‍🚀\r\n ".into());
        assert_eq!(state.count(), 2);
        assert_eq!(Band::of(269), Band::Room);
        assert_eq!(Band::of(270), Band::Near);
        assert_eq!(Band::of(300), Band::Full);
        assert_eq!(Band::of(301), Band::Over);
        state.edit(Field::Body, "x".repeat(305));
        assert_eq!(state.band(), Band::Over);
        assert_eq!(
            state.blocker().as_deref(),
            Some("Shorten your comment by 5 characters to post it.")
        );
    }

    #[test]
    fn says_what_blocks_posting() {
        let mut state = FormState::default();
        assert_eq!(
            state.blocker().as_deref(),
            Some("Write a comment to post it.")
        );
        state.edit(Field::Body, "Hi".into());
        assert_eq!(
            state.blocker().as_deref(),
            Some("Enter your name to post it.")
        );
        state.edit(Field::Nickname, "Mina".into());
        assert_eq!(state.blocker(), None);
    }

    #[test]
    fn rules_show_only_once_the_reader_tried_to_post() {
        let mut state = FormState::default();
        assert_eq!(state.problem(Field::Nickname), None);
        assert_eq!(
            state.submit(|| "k".repeat(16)),
            Submit::Invalid(Field::Nickname)
        );
        assert!(state.problem(Field::Nickname).is_some());
        assert!(state.problem(Field::Body).is_some());
        assert!(!state.posting && state.key.is_none(), "nothing was sent");
    }

    #[test]
    fn a_post_keeps_its_key_through_failures_and_retries() {
        let mut state = filled();
        let Submit::Send(first) = state.submit(|| "key-one-0123456789".into()) else {
            panic!("sends");
        };
        assert!(state.posting);
        assert_eq!(state.submit(|| unreachable!()), Submit::AlreadyPosting);
        assert_eq!(
            state.finish(&Err(PostError::Fetch(FetchError::Timeout))),
            None
        );
        assert_eq!(
            state.outcome,
            Some(Outcome::Failed(PostError::Fetch(FetchError::Timeout)))
        );
        assert_eq!(state.body, "Good piece.", "the text is kept");
        let Submit::Send(retry) = state.submit(|| "key-two-0123456789".into()) else {
            panic!("sends again");
        };
        assert_eq!(retry, first, "a retry is the same post, with the same key");
        // Changing the text makes it another comment.
        state.finish(&Err(PostError::RateLimited(30)));
        state.edit(Field::Body, "Good piece, really.".into());
        assert_eq!(state.key, None);
    }

    #[test]
    fn a_stored_post_clears_the_text_but_not_the_name() {
        let mut state = filled();
        let Submit::Send(_) = state.submit(|| "key-one-0123456789".into()) else {
            panic!("sends");
        };
        let comment = stored(&state);
        assert_eq!(state.finish(&Ok(comment)), None);
        assert_eq!(
            (state.nickname.as_str(), state.body.as_str(), &state.key),
            ("Mina", "", &None)
        );
        assert_eq!(state.outcome, Some(Outcome::Posted));
        assert!(
            !state.checked,
            "an empty form after posting is not an error"
        );
        state.edit(Field::Body, "More".into());
        assert_eq!(
            state.outcome, None,
            "posted is old news once they type again"
        );
    }

    #[test]
    fn text_typed_while_posting_is_kept() {
        let mut state = filled();
        let Submit::Send(_) = state.submit(|| "key-one-0123456789".into()) else {
            panic!("sends");
        };
        let comment = stored(&state);
        state.edit(Field::Body, "Good piece. And another thought".into());
        state.finish(&Ok(comment));
        assert_eq!(state.body, "Good piece. And another thought");
    }

    #[test]
    fn server_field_errors_hold_until_that_field_is_edited() {
        let mut state = filled();
        state.submit(|| "key-one-0123456789".into());
        let fields = BTreeMap::from([
            ("nickname".to_owned(), "Taken.".to_owned()),
            ("body".to_owned(), "Too rude.".to_owned()),
        ]);
        assert_eq!(
            state.finish(&Err(PostError::Invalid(fields))),
            Some(Field::Nickname)
        );
        // The server's English sentence stays the API's; the form says it in the site's words.
        let refused = "This was not accepted. Please change it and try again.";
        assert_eq!(state.problem(Field::Nickname).as_deref(), Some(refused));
        state.edit(Field::Nickname, "Mina K".into());
        assert_eq!(state.problem(Field::Nickname), None);
        assert_eq!(state.problem(Field::Body).as_deref(), Some(refused));
    }

    #[test]
    fn the_trap_travels_only_when_filled() {
        let mut state = filled();
        let Submit::Send(post) = state.submit(|| "key-one-0123456789".into()) else {
            panic!("sends");
        };
        assert_eq!(post.website, None);
        let mut bot = filled();
        bot.trap = "http://spam.example".into();
        let Submit::Send(post) = bot.submit(|| "key-one-0123456789".into()) else {
            panic!("sends");
        };
        assert_eq!(post.website.as_deref(), Some("http://spam.example"));
    }

    #[test]
    fn the_draft_round_trips() {
        let mut state = filled();
        state.key = Some("key-one-0123456789".into());
        assert_eq!(FormState::new(state.draft()).draft(), state.draft());
    }
}
