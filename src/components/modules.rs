//! The sidebar modules: see `modules/README.md`.

pub mod item;
pub mod list;
pub mod rank;

use leptos::prelude::*;

use crate::api;
use list::List;

/// The modules of a page, loaded once the page's own content is on screen.
#[component]
pub fn Sidebar(
    /// The article the page shows, if it is an article page.
    article: Option<String>,
) -> impl IntoView {
    let modules = LocalResource::new(move || api::modules(article.clone()));
    view! {
        <div class="sidebar">
            <Transition>
                {move || Suspend::new(async move {
                    match modules.await {
                        Ok(list) => list.into_iter().map(|module| view! { <List module/> }).collect_view().into_any(),
                        Err(_) => view! {
                            <p class="sidebar__error">
                                "More stories could not be loaded. "
                                <button type="button" class="link-button" on:click=move |_| modules.refetch()>
                                    "Try again"
                                </button>
                            </p>
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}
