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
) -> impl IntoView {
    view! {
        <div class="error-panel" role="alert">
            <p class="error-panel__message">{error.to_string()}</p>
            <button type="button" class="button" on:click=move |_| on_retry.run(())>
                "Retry"
            </button>
        </div>
    }
}
