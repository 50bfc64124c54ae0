//! The comment form. Nothing the reader types is ever lost: the draft is saved as they type, and
//! a failed post keeps the text and retries with the same idempotency key.

use std::collections::BTreeMap;

use broadsheet_model::{
    BODY_MAX, Comment, NewComment, body_error, char_count, nickname_error, normalize_body,
};
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use wasm_bindgen::JsCast;

use super::draft::{Draft, new_key};
use crate::api::{self, FetchError, PostError};

/// How close the comment is to the limit; the counter is announced only when this changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Band {
    Room,
    Near,
    Full,
    Over,
}

/// From this many characters on, the counter warns.
const NEAR: usize = BODY_MAX - 30;

impl Band {
    fn of(count: usize) -> Band {
        match count {
            c if c > BODY_MAX => Band::Over,
            BODY_MAX => Band::Full,
            c if c >= NEAR => Band::Near,
            _ => Band::Room,
        }
    }

    fn announcement(self) -> &'static str {
        match self {
            Band::Room => "",
            Band::Near => "Fewer than 30 characters left.",
            Band::Full => "You have reached the 300-character limit.",
            Band::Over => "Your comment is over the 300-character limit.",
        }
    }
}

/// What the last attempt to post came to.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Posted,
    Failed(PostError),
}

fn focus(id: &str) {
    if let Some(e) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = e.focus();
    }
}

/// The form to post a comment on an article.
#[component]
pub fn CommentForm(
    /// The article's slug.
    slug: String,
    /// Called with each comment once the server has stored it.
    on_posted: Callback<Comment>,
) -> impl IntoView {
    // Posts run under the form's owner: a button that starts one may be re-rendered away at once.
    let owner = Owner::current().unwrap_or_default();
    let draft = Draft::load(&slug);
    let nickname = RwSignal::new(draft.nickname);
    let body = RwSignal::new(draft.body);
    // The idempotency key of the post of exactly this text; a new one once the text changes.
    let key = RwSignal::new(draft.key);
    let trap = RwSignal::new(String::new());
    let posting = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);
    let server_errors = RwSignal::new(BTreeMap::<String, String>::new());
    let checked = RwSignal::new(false);

    {
        let slug = slug.clone();
        // Persisting is a side effect, which is what effects are for: every change is saved.
        Effect::new(move |_| {
            Draft {
                nickname: nickname.get(),
                body: body.get(),
                key: key.get(),
            }
            .save(&slug);
        });
    }

    let count = Memo::new(move |_| body.with(|b| char_count(&normalize_body(b))));
    let band = Memo::new(move |_| Band::of(count.get()));
    let field_error =
        move |field: &'static str, rule: fn(&str) -> Option<String>, value: RwSignal<String>| {
            Memo::new(move |_| {
                server_errors
                    .with(|e| e.get(field).cloned())
                    .or_else(|| checked.get().then(|| value.with(|v| rule(v))).flatten())
            })
        };
    let nickname_problem = field_error("nickname", nickname_error, nickname);
    let body_problem = field_error("body", body_error, body);
    // Why the button cannot post right now, said next to it.
    let blocker = Memo::new(move |_| {
        let n = count.get();
        if n > BODY_MAX {
            Some(format!(
                "Shorten your comment by {} characters to post it.",
                n - BODY_MAX
            ))
        } else if n == 0 {
            Some("Write a comment to post it.".to_owned())
        } else if nickname.with(|v| v.trim().is_empty()) {
            Some("Enter your name to post it.".to_owned())
        } else {
            None
        }
    });

    let submit = move || {
        if posting.get_untracked() {
            return;
        }
        checked.set(true);
        let (name, text) = (nickname.get_untracked(), body.get_untracked());
        if nickname_error(&name).is_some() {
            focus("comment-nickname");
            return;
        }
        if body_error(&text).is_some() {
            focus("comment-body");
            return;
        }
        let idempotency_key = key.get_untracked().unwrap_or_else(|| {
            let k = new_key();
            key.set(Some(k.clone()));
            k
        });
        let website = Some(trap.get_untracked()).filter(|w| !w.is_empty());
        let request = NewComment {
            nickname: name,
            body: text,
            idempotency_key,
            website,
        };
        posting.set(true);
        outcome.set(None);
        let slug = slug.clone();
        owner.with(|| {
            spawn_local_scoped_with_cancellation(async move {
                let result = api::post_comment(slug.clone(), request).await;
                posting.set(false);
                match result {
                    Ok(comment) => {
                        Draft::posted(&slug, &comment.nickname);
                        body.set(String::new());
                        key.set(None);
                        checked.set(false);
                        server_errors.set(BTreeMap::new());
                        outcome.set(Some(Outcome::Posted));
                        on_posted.run(comment);
                    }
                    Err(PostError::Invalid(fields)) => {
                        let first = if fields.contains_key("nickname") {
                            "comment-nickname"
                        } else {
                            "comment-body"
                        };
                        server_errors.set(fields);
                        outcome.set(Some(Outcome::Failed(PostError::Invalid(BTreeMap::new()))));
                        focus(first);
                    }
                    Err(e) => outcome.set(Some(Outcome::Failed(e))),
                }
            })
        });
    };
    let retry = submit.clone();

    let edited = move |field: &'static str| {
        key.set(None);
        server_errors.update(|e| {
            e.remove(field);
        });
        if outcome.get_untracked() == Some(Outcome::Posted) {
            outcome.set(None);
        }
    };

    view! {
        <form class="comment-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            submit();
        }>
            <div class="comment-form__field">
                <label for="comment-nickname">"Name"</label>
                <input
                    id="comment-nickname"
                    name="nickname"
                    type="text"
                    autocomplete="nickname"
                    prop:value=move || nickname.get()
                    on:input=move |ev| {
                        nickname.set(event_target_value(&ev));
                        edited("nickname");
                    }
                    aria-invalid=move || nickname_problem.get().is_some().to_string()
                    aria-describedby=move || nickname_problem.get().map(|_| "comment-nickname-error")
                />
                {move || nickname_problem.get().map(|e| view! {
                    <p id="comment-nickname-error" class="field-error">{e}</p>
                })}
            </div>
            <div class="comment-form__field">
                <label for="comment-body">"Comment"</label>
                <textarea
                    id="comment-body"
                    name="body"
                    rows="4"
                    prop:value=move || body.get()
                    on:input=move |ev| {
                        body.set(event_target_value(&ev));
                        edited("body");
                    }
                    aria-invalid=move || body_problem.get().is_some().to_string()
                    aria-describedby=move || {
                        if body_problem.get().is_some() {
                            "comment-counter comment-body-error"
                        } else {
                            "comment-counter"
                        }
                    }
                ></textarea>
                <p
                    id="comment-counter"
                    class="comment-form__counter"
                    class:comment-form__counter--near=move || band.get() == Band::Near || band.get() == Band::Full
                    class:comment-form__counter--over=move || band.get() == Band::Over
                >
                    {move || format!("{}/{BODY_MAX}", count.get())}
                    {move || (band.get() == Band::Over)
                        .then(|| format!(" ({} over)", count.get() - BODY_MAX))}
                </p>
                <p class="visually-hidden" aria-live="polite">{move || band.get().announcement()}</p>
                {move || body_problem.get().map(|e| view! {
                    <p id="comment-body-error" class="field-error">{e}</p>
                })}
            </div>
            // People never see this field; bots fill it in, and are ignored.
            <div class="comment-form__trap" aria-hidden="true">
                <label for="comment-website">"Leave this field empty"</label>
                <input id="comment-website" name="website" type="text" tabindex="-1" autocomplete="off"
                    prop:value=move || trap.get() on:input=move |ev| trap.set(event_target_value(&ev))/>
            </div>
            <div class="comment-form__actions">
                <button
                    type="submit"
                    class="button"
                    aria-disabled=move || (posting.get() || blocker.get().is_some()).to_string()
                    aria-busy=move || posting.get().to_string()
                    aria-describedby=move || blocker.get().map(|_| "comment-submit-hint")
                >
                    {move || if posting.get() { "Posting…" } else { "Post comment" }}
                </button>
                {move || blocker.get().map(|hint| view! {
                    <p id="comment-submit-hint" class="comment-form__hint">{hint}</p>
                })}
            </div>
            <div class="comment-form__outcome">
                {move || match outcome.get() {
                    None => None,
                    Some(Outcome::Posted) => Some(view! {
                        <p role="status" class="comment-form__posted">"Your comment is posted."</p>
                    }.into_any()),
                    Some(Outcome::Failed(PostError::Invalid(_))) => Some(view! {
                        <p role="alert" class="field-error">"Please check the highlighted fields. Your text is kept."</p>
                    }.into_any()),
                    Some(Outcome::Failed(failure)) => {
                        let reason = match failure {
                            PostError::RateLimited(seconds) => format!(
                                "You are posting too quickly. Please try again in {seconds} seconds. Your text is kept."
                            ),
                            PostError::Fetch(FetchError::Offline) => {
                                "You are offline. Your comment is kept here: post it when you are back online.".to_owned()
                            }
                            e => format!("Your comment was not posted. {e} Your text is kept."),
                        };
                        let retry = retry.clone();
                        Some(view! {
                            <div role="alert" class="comment-form__failed">
                                <p>{reason}</p>
                                <button type="button" class="button button--secondary" on:click=move |_| retry()>
                                    "Retry"
                                </button>
                            </div>
                        }.into_any())
                    }
                }}
            </div>
        </form>
    }
}
