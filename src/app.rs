//! The app in the browser: an embed page for partner sites, or the site with its frame, showing
//! the page of the route table ([`Route`]) the address names.

use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::components::Router;
use leptos_router::hooks::use_location;
use leptos_router::location::{BrowserUrl, LocationProvider};

use crate::components::layout::{MAIN_ID, SiteFooter, SiteHeader, SkipLinks};
use crate::i18n;
use crate::page_data;
use crate::pages::article::ArticlePage;
use crate::pages::embed::EmbedApp;
use crate::pages::home::HomePage;
use crate::pages::listing::ListingPage;
use crate::pages::not_found::NotFound;
use crate::pages::saved::SavedPage;
use crate::pages::search::SearchPage;
use crate::pages::section::SectionPage;
use crate::pwa;
use crate::route::Route;
use crate::routing::{self, RouteIndicators};

/// The page a route shows, inside the site's frame.
fn page(route: Route) -> AnyView {
    match route {
        Route::Home => view! { <HomePage/> }.into_any(),
        Route::Article { slug } => view! { <ArticlePage slug/> }.into_any(),
        Route::Section { slug } => view! { <SectionPage slug/> }.into_any(),
        Route::Saved => view! { <SavedPage/> }.into_any(),
        route @ (Route::Tag { .. } | Route::Author { .. }) => {
            view! { <ListingPage route/> }.into_any()
        }
        Route::Search { query, cursor } => view! { <SearchPage query cursor/> }.into_any(),
        // Embeds never stand in the site's frame (see `App`).
        Route::Embed { .. } | Route::NotFound => view! { <NotFound/> }.into_any(),
    }
}

/// The current address's page, re-rendered when the route changes (not for a new fragment, nor
/// for a new query on a page that reads none).
#[component]
fn Pages() -> impl IntoView {
    let location = use_location();
    let route = Memo::new(move |_| {
        let search = location.search.get();
        let search = search.trim_start_matches('?');
        Route::parse(&format!("{}?{search}", location.pathname.get()))
    });
    // The router puts a new address in the address bar once the page for it is rendered: say so
    // after each change of address (effects run after rendering).
    if let Some(browser) = use_context::<BrowserUrl>() {
        Effect::new(move |_| {
            location.pathname.track();
            location.search.track();
            browser.ready_to_complete();
        });
    }
    move || page(route.get())
}

/// The whole app: an embed page for partner sites, or the site with its frame and pages.
#[component]
pub fn App() -> impl IntoView {
    let embedded = window()
        .location()
        .pathname()
        .is_ok_and(|p| Route::is_embed_path(&p));
    if embedded {
        return view! { <EmbedApp/> }.into_any();
    }
    provide_meta_context();
    page_data::provide_in_flight();
    pwa::start();
    view! {
        <Title formatter=|title: String| i18n::fill("site.page_title", &[("title", &title)])/>
        <Router>
            {routing::install();}
            <RouteIndicators/>
            <SkipLinks/>
            <SiteHeader/>
            <main id=MAIN_ID class="main" tabindex="-1">
                <Pages/>
            </main>
            <SiteFooter/>
            <pwa::UpdatePrompt/>
        </Router>
    }
    .into_any()
}
