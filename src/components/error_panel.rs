//! What a reader sees when something could not be loaded.

use leptos::prelude::*;

use crate::api::FetchError;

/// The problem in plain words, and a Retry button that tries again.
#[component]
pub fn ErrorPanel(
    /// What went wrong.
    error: FetchError,
    /// What to do when the reader asks to try again.
    on_retry: Callback<()>,
    /// The page's heading, when the error takes the whole page.
    #[prop(optional)]
    heading: Option<&'static str>,
) -> impl IntoView {
    view! {
        {heading.map(|h| view! { <h1 class="error-panel__heading" tabindex="-1">{h}</h1> })}
        <div class="error-panel" role="alert">
            <p class="error-panel__message">{error.to_string()}</p>
            <button type="button" class="button" on:click=move |_| on_retry.run(())>
                "Retry"
            </button>
        </div>
    }
}
