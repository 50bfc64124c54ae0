//! The page for an address that names nothing.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::route::Route;

/// "Not found", with a way on.
#[component]
pub fn NotFound(
    /// The page's heading, e.g. "Article not found".
    #[prop(default = "Page not found")]
    heading: &'static str,
) -> impl IntoView {
    view! {
        <Title text=heading/>
        <crate::routing::PageReady title=heading.to_owned()/>
        <section class="not-found" aria-labelledby="not-found-heading">
            <h1 id="not-found-heading" tabindex="-1">{heading}</h1>
            <p>"There is nothing at this address. It may have moved, or the link may be mistyped."</p>
            <p><a href=Route::Home.path()>"Go to the front page"</a></p>
        </section>
    }
}
