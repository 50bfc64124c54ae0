//! The comment box under an article: see `comments/README.md`.

pub mod draft;
pub mod form;
pub mod form_state;
pub mod list;

use crate::i18n;
use broadsheet_model::Comment;
use leptos::prelude::*;

use crate::api;
use crate::components::paged::{Loading, Paged};
use draft::Draft;
use form::CommentForm;
use list::CommentItem;

/// The count, the form and the comments of one article. In the app it is put on the page once
/// the article is shown (a task later, so comments never hold the article up), or with the
/// article when it takes over a first screen that showed the box.
#[component]
pub fn CommentsSection(
    /// The article's slug.
    slug: String,
    /// The article's comment count, shown until the comments themselves arrive.
    count: u64,
    /// The server's first screen: the box as it stands until the comments arrive, the form
    /// empty (the reader can type into it before the app starts; the app takes the text over).
    #[prop(optional)]
    first_screen: bool,
) -> impl IntoView {
    let total = RwSignal::new(count);
    let comments = {
        let slug = slug.clone();
        Paged::new((Vec::new(), None), Loading::Busy, move |cursor| {
            let page = api::comments(slug.clone(), cursor);
            async move {
                let page = page.await?;
                total.set(page.total);
                Ok((page.items, page.next_cursor))
            }
        })
    };
    let draft = if first_screen {
        Draft::default()
    } else {
        comments.load(None);
        Draft::load(&slug)
    };

    let list = comments.items;
    let on_posted = Callback::new(move |comment: Comment| {
        // A decoy answer to a filled honeypot has id 0; people never trigger it.
        if !list.with(|list| list.iter().any(|c| c.id == comment.id)) {
            list.update(|list| list.insert(0, comment));
            total.update(|n| *n += 1);
        }
    });
    let slug_for_items = slug.clone();
    let after_list = comments.after_list("comments.loading", "comments__loading", |load_more| {
        view! {
            <button type="button" class="button button--secondary comments__more"
                on:click=move |_| load_more.run(())>
                {i18n::t("comments.load_more")}
            </button>
        }
        .into_any()
    });

    let (comments_before, comments_after) = i18n::split("comments.heading", "count", &[]);
    view! {
        <section class="comments" aria-labelledby="comments-heading">
            <h2 id="comments-heading" class="comments__heading">
                {comments_before}<span class="comments__count">{move || total.get()}</span>{comments_after}
            </h2>
            <CommentForm slug draft on_posted/>
            <ol class="comments__list">
                <For
                    each=move || list.get()
                    key=|c| c.id
                    children=move |comment| view! { <CommentItem slug=slug_for_items.clone() comment/> }
                />
            </ol>
            {after_list}
        </section>
    }
}
