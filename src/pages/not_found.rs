//! The page for an address that names nothing.

use crate::i18n;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::route::Route;

/// "Not found", with a way on.
#[component]
pub fn NotFound(
    /// The page's heading, e.g. "Article not found" (`not_found.page` without).
    #[prop(optional, into)]
    heading: Option<String>,
) -> impl IntoView {
    let heading = heading.unwrap_or_else(|| i18n::t("not_found.page"));
    view! {
        <Title text=heading.clone()/>
        <crate::routing::PageReady title=heading.clone()/>
        <section class="not-found" aria-labelledby="not-found-heading">
            <h1 id="not-found-heading" tabindex="-1">{heading}</h1>
            <p>{i18n::t("not_found.text")}</p>
            <p><a href=Route::Home.path()>{i18n::t("not_found.front_page")}</a></p>
        </section>
    }
}
