//! "Save for offline": keeps an article, its comments and images on the device.

use crate::i18n;
use broadsheet_model::Article;
use leptos::prelude::*;

use crate::route::Route;
use crate::saved;
use crate::tasks::Tasks;

/// A toggle that saves the article or removes it from the saved articles, saying how it went.
#[component]
pub fn SaveButton(
    /// The article on the page.
    article: Article,
) -> impl IntoView {
    // `None` until the cache has answered; then what the reader sees. (Not a resource: one read
    // inside the page's Suspense would send the whole article back to its skeleton.)
    let state = RwSignal::new(None::<bool>);
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let tasks = Tasks::here();
    // Rendered by the server, the button waits (aria-disabled) for the app to ask the cache.
    #[cfg(target_arch = "wasm32")]
    {
        let slug = article.slug.clone();
        tasks.spawn_to_end(async move {
            state.set(Some(saved::is_saved(&slug).await));
        });
    }
    let article = StoredValue::new(article);
    let toggle = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let was_saved = state.get_untracked().unwrap_or(false);
        tasks.spawn_to_end(async move {
            let article = article.get_value();
            let result = if was_saved {
                saved::remove(&article.slug).await
            } else {
                saved::save(&article).await
            };
            match result {
                Ok(()) => {
                    state.set(Some(!was_saved));
                    message.set(Some(if was_saved {
                        i18n::t("save.removed")
                    } else {
                        i18n::t("save.done")
                    }));
                }
                Err(e) => message.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="save-offline">
            <button
                type="button"
                class="button button--secondary save-offline__button"
                aria-pressed=move || if state.get() == Some(true) { "true" } else { "false" }
                aria-disabled=move || (busy.get() || state.get().is_none()).then_some("true")
                on:click=toggle
            >
                // One name in both states: `aria-pressed` says whether it is saved.
                {i18n::t("save.button")}
            </button>
            <a class="save-offline__link" href=Route::Saved.path()>{i18n::t("saved.title")}</a>
            <p class="save-offline__status" role="status">{move || message.get()}</p>
        </div>
    }
}
