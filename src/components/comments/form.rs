//! The comment form. Nothing the reader types is ever lost: the draft is saved as they type, and
//! a failed post keeps the text and retries with the same idempotency key. Its state and rules
//! are [`FormState`]; this is how it looks, in small parts that each read the one state signal.

use crate::i18n;
use broadsheet_model::{BODY_MAX, Comment};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::draft::{Draft, new_key};
use super::form_state::{Band, Field, FormState, Outcome, Submit};
use crate::api::{self, FetchError, PostError};
use crate::tasks::Tasks;
use crate::typing;

fn focus(field: Field) {
    if let Some(e) = document()
        .get_element_by_id(field.id())
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
    /// What the form starts with: the reader's saved draft.
    draft: Draft,
    /// Called with each comment once the server has stored it.
    on_posted: Callback<Comment>,
) -> impl IntoView {
    let tasks = Tasks::here();
    let mut form = FormState::new(draft);
    // What the server's form held as the app took the page over: the saved draft (index.html
    // puts it there) and what the reader typed on top of it. Unchanged text keeps its key.
    for field in [Field::Nickname, Field::Body] {
        if let Some(text) = typing::typed(field.id()) {
            let now = match field {
                Field::Nickname => &form.nickname,
                Field::Body => &form.body,
            };
            if *now != text {
                form.edit(field, text);
            }
        }
    }
    let state = RwSignal::new(form);
    {
        let slug = slug.clone();
        // Persisting is a side effect, which is what effects are for: every change is saved.
        let draft = Memo::new(move |_| state.with(FormState::draft));
        Effect::new(move |_| draft.with(|d| d.save(&slug)));
    }

    let submit = Callback::new(move |()| {
        let Some(outcome) = state.try_update(|s| s.submit(new_key)) else {
            return;
        };
        let request = match outcome {
            Submit::AlreadyPosting => return,
            Submit::Invalid(field) => return focus(field),
            Submit::Send(request) => request,
        };
        let slug = slug.clone();
        tasks.spawn(async move {
            let result = api::post_comment(slug.clone(), request).await;
            let refused = state.try_update(|s| s.finish(&result)).flatten();
            match result {
                Ok(comment) => {
                    Draft::posted(&slug, &comment.nickname);
                    on_posted.run(comment);
                }
                Err(_) => {
                    if let Some(field) = refused {
                        focus(field);
                    }
                }
            }
        });
    });

    view! {
        <form class="comment-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            submit.run(());
        }>
            <NameField state/>
            <BodyField state/>
            <Trap state/>
            <Actions state/>
            <OutcomeNote state retry=submit/>
        </form>
    }
}

/// What is wrong with `field`, as the state says.
fn problem(state: RwSignal<FormState>, field: Field) -> Memo<Option<String>> {
    Memo::new(move |_| state.with(|s| s.problem(field)))
}

/// "Name", with its error.
#[component]
fn NameField(state: RwSignal<FormState>) -> impl IntoView {
    let problem = problem(state, Field::Nickname);
    let value = Memo::new(move |_| state.with(|s| s.nickname.clone()));
    let node = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(field) = node.get() {
            typing::carry_over(&field);
        }
    });
    view! {
        <div class="comment-form__field">
            <label for="comment-nickname">{i18n::t("comments.name")}</label>
            <input
                id="comment-nickname"
                name="nickname"
                dir="auto"
                type="text"
                autocomplete="nickname"
                node_ref=node
                prop:value=value
                on:input=move |ev| state.update(|s| s.edit(Field::Nickname, event_target_value(&ev)))
                aria-invalid=move || problem.get().is_some().to_string()
                aria-describedby=move || problem.get().map(|_| "comment-nickname-error")
            />
            {move || problem.get().map(|e| view! {
                <p id="comment-nickname-error" class="field-error">{e}</p>
            })}
        </div>
    }
}

/// "Comment", with the live counter (announced as it nears the limit) and its error.
#[component]
fn BodyField(state: RwSignal<FormState>) -> impl IntoView {
    let problem = problem(state, Field::Body);
    let count = Memo::new(move |_| state.with(FormState::count));
    let band = Memo::new(move |_| Band::of(count.get()));
    let value = Memo::new(move |_| state.with(|s| s.body.clone()));
    let node = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move |_| {
        if let Some(field) = node.get() {
            typing::carry_over(&field);
        }
    });
    view! {
        <div class="comment-form__field">
            <label for="comment-body">{i18n::t("comments.comment")}</label>
            <textarea
                id="comment-body"
                name="body"
                dir="auto"
                rows="4"
                node_ref=node
                prop:value=value
                on:input=move |ev| state.update(|s| s.edit(Field::Body, event_target_value(&ev)))
                aria-invalid=move || problem.get().is_some().to_string()
                aria-describedby=move || {
                    if problem.get().is_some() {
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
                {move || i18n::fill(
                    "comments.counter",
                    &[("count", &i18n::number(count.get() as u64)), ("max", &i18n::number(BODY_MAX as u64))],
                )}
                {move || (band.get() == Band::Over).then(|| {
                    let over = (count.get() - BODY_MAX) as u64;
                    format!(" {}", i18n::count("comments.counter_over", over, &[]))
                })}
            </p>
            <p class="visually-hidden" aria-live="polite">{move || band.get().announcement()}</p>
            {move || problem.get().map(|e| view! {
                <p id="comment-body-error" class="field-error">{e}</p>
            })}
        </div>
    }
}

/// The field people never see; bots fill it in, and are ignored.
#[component]
fn Trap(state: RwSignal<FormState>) -> impl IntoView {
    view! {
        <div class="comment-form__trap" aria-hidden="true">
            <label for="comment-website">{i18n::t("comments.trap")}</label>
            <input id="comment-website" name="website" type="text" tabindex="-1" autocomplete="off"
                prop:value=move || state.with(|s| s.trap.clone())
                on:input=move |ev| state.update(|s| s.trap = event_target_value(&ev))/>
        </div>
    }
}

/// "Post comment", and why it cannot post right now.
#[component]
fn Actions(state: RwSignal<FormState>) -> impl IntoView {
    let posting = Memo::new(move |_| state.with(|s| s.posting));
    let blocker = Memo::new(move |_| state.with(FormState::blocker));
    view! {
        <div class="comment-form__actions">
            <button
                type="submit"
                class="button"
                aria-disabled=move || (posting.get() || blocker.get().is_some()).to_string()
                aria-busy=move || posting.get().to_string()
                aria-describedby=move || blocker.get().map(|_| "comment-submit-hint")
            >
                {move || if posting.get() { i18n::t("comments.posting") } else { i18n::t("comments.post") }}
            </button>
            {move || blocker.get().map(|hint| view! {
                <p id="comment-submit-hint" class="comment-form__hint">{hint}</p>
            })}
        </div>
    }
}

/// How the last post went: posted, or why not, with Retry.
#[component]
fn OutcomeNote(state: RwSignal<FormState>, retry: Callback<()>) -> impl IntoView {
    let outcome = Memo::new(move |_| state.with(|s| s.outcome.clone()));
    view! {
        <div class="comment-form__outcome">
            {move || match outcome.get() {
                None => None,
                Some(Outcome::Posted) => Some(view! {
                    <p role="status" class="comment-form__posted">{i18n::t("comments.posted")}</p>
                }.into_any()),
                Some(Outcome::Failed(PostError::Invalid(_))) => Some(view! {
                    <p role="alert" class="field-error">{i18n::t("comments.check_fields")}</p>
                }.into_any()),
                Some(Outcome::Failed(failure)) => {
                    let reason = match failure {
                        PostError::RateLimited(seconds) => {
                            i18n::count("comments.rate_limited", seconds, &[])
                        }
                        PostError::Fetch(FetchError::Offline) => {
                            i18n::t("comments.offline")
                        }
                        e => i18n::fill("comments.not_posted", &[("reason", &e.to_string())]),
                    };
                    Some(view! {
                        <div role="alert" class="comment-form__failed">
                            <p>{reason}</p>
                            <button type="button" class="button button--secondary" on:click=move |_| retry.run(())>
                                {i18n::t("errors.retry")}
                            </button>
                        </div>
                    }.into_any())
                }
            }}
        </div>
    }
}
