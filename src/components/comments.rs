//! The comment box under an article: see `comments/README.md`.

pub mod draft;
pub mod form;
pub mod list;

use broadsheet_model::Comment;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;

use crate::api::{self, FetchError};
use crate::components::error_panel::ErrorPanel;
use form::CommentForm;
use list::CommentItem;

/// Where loading comments stands.
#[derive(Clone, Debug, PartialEq)]
enum Loading {
    Busy,
    Done,
    Failed(FetchError),
}

/// The count, the form and the comments of one article. It is put on the page only once the
/// article is shown, so comments never hold the article up.
#[component]
pub fn CommentsSection(
    /// The article's slug.
    slug: String,
    /// The article's comment count, shown until the comments themselves arrive.
    count: u64,
) -> impl IntoView {
    let total = RwSignal::new(count);
    let comments = RwSignal::new(Vec::<Comment>::new());
    let next = RwSignal::new(None::<String>);
    let loading = RwSignal::new(Loading::Busy);

    // Loads run under this section's owner: the button that starts one is re-rendered away.
    let owner = Owner::current().unwrap_or_default();
    let load = {
        let slug = slug.clone();
        move |cursor: Option<String>| {
            loading.set(Loading::Busy);
            let slug = slug.clone();
            owner.with(|| {
                spawn_local_scoped_with_cancellation(async move {
                    match api::comments(slug, cursor).await {
                        Ok(page) => {
                            comments.update(|list| {
                                for c in page.items {
                                    if !list.iter().any(|known| known.id == c.id) {
                                        list.push(c);
                                    }
                                }
                            });
                            next.set(page.next_cursor);
                            total.set(page.total);
                            loading.set(Loading::Done);
                        }
                        Err(e) => loading.set(Loading::Failed(e)),
                    }
                })
            });
        }
    };
    load(None);

    let on_posted = Callback::new(move |comment: Comment| {
        // A decoy answer to a filled honeypot has id 0; people never trigger it.
        if !comments.with(|list| list.iter().any(|c| c.id == comment.id)) {
            comments.update(|list| list.insert(0, comment));
            total.update(|n| *n += 1);
        }
    });
    let slug_for_items = slug.clone();
    let load_more = load.clone();
    let retry = load;

    view! {
        <section class="comments" aria-labelledby="comments-heading">
            <h2 id="comments-heading" class="comments__heading">
                "Comments " <span class="comments__count">{move || total.get()}</span>
            </h2>
            <CommentForm slug on_posted/>
            <ol class="comments__list">
                <For
                    each=move || comments.get()
                    key=|c| c.id
                    children=move |comment| view! { <CommentItem slug=slug_for_items.clone() comment/> }
                />
            </ol>
            {move || match loading.get() {
                Loading::Busy => view! {
                    <p class="comments__loading" role="status">"Loading comments…"</p>
                }
                .into_any(),
                Loading::Failed(error) => {
                    let retry = retry.clone();
                    let cursor = next.get_untracked();
                    view! {
                        <ErrorPanel error on_retry=Callback::new(move |()| retry(cursor.clone()))/>
                    }
                    .into_any()
                }
                Loading::Done => {
                    let load_more = load_more.clone();
                    next.get().map(|cursor| view! {
                        <button type="button" class="button button--secondary comments__more"
                            on:click=move |_| load_more(Some(cursor.clone()))>
                            "Load more comments"
                        </button>
                    })
                    .into_any()
                }
            }}
        </section>
    }
}
