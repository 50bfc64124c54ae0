//! `/saved`: the articles the reader keeps for offline reading. Works offline: it reads only the
//! browser's own storage.

use crate::i18n;
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
            <h1 id="saved-heading" class="saved__heading" tabindex="-1">{i18n::t("saved.title")}</h1>
            <p class="saved__intro">
                {i18n::t("saved.intro")}
            </p>
            <SavedList removable=true/>
        </section>
        <PageReady title/>
    }
}
