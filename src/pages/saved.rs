//! `/saved`: the articles the reader keeps for offline reading. Works offline: it reads only the
//! browser's own storage.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::saved_list::SavedList;
use crate::head;
use crate::route::Route;
use crate::routing::PageReady;

/// The Saved page.
#[component]
pub fn SavedPage() -> impl IntoView {
    head::show(&Route::Saved, None);
    let title = Route::Saved.title(None);
    view! {
        <Title text=title.clone()/>
        <section class="saved" aria-labelledby="saved-heading">
            <h1 id="saved-heading" class="saved__heading" tabindex="-1">"Saved articles"</h1>
            <p class="saved__intro">
                "Articles you save are kept on this device, with their comments as last seen, and open without a connection."
            </p>
            <SavedList removable=true/>
        </section>
        <PageReady title/>
    }
}
