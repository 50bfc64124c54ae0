//! What a reader sees when something could not be loaded.

use crate::i18n;
use leptos::prelude::*;

use crate::api::FetchError;
use crate::components::saved_list::SavedList;

/// The problem in plain words, and a Retry button that tries again. A page that could not load
/// because the device is offline becomes the offline page: it lists the saved articles.
#[component]
pub fn ErrorPanel(
    /// What went wrong.
    error: FetchError,
    /// What to do when the reader asks to try again.
    on_retry: Callback<()>,
    /// The page's heading, when the error takes the whole page: its message key
    /// (`section.error_heading`).
    #[prop(optional)]
    heading: Option<&'static str>,
    /// Whether the error stands for the whole page (not one part of it).
    #[prop(optional)]
    whole_page: bool,
) -> impl IntoView {
    let offline_page = whole_page && error == FetchError::Offline;
    let heading = if offline_page {
        Some(i18n::t("errors.offline_heading"))
    } else {
        heading.map(i18n::t)
    };
    view! {
        {heading.map(|h| view! { <h1 class="error-panel__heading" tabindex="-1">{h}</h1> })}
        <div class="error-panel" role="alert">
            <p class="error-panel__message">{error.to_string()}</p>
            <button type="button" class="button" on:click=move |_| on_retry.run(())>
                {i18n::t("errors.retry")}
            </button>
        </div>
        {offline_page.then(|| view! {
            <section class="offline-saved" aria-labelledby="offline-saved-heading">
                <h2 id="offline-saved-heading">{i18n::t("saved.offline_heading")}</h2>
                <SavedList/>
            </section>
        })}
    }
}
