//! Broadsheet: the reader-facing news front end, a Leptos app rendered in the browser.

pub mod api;
pub mod components;
pub mod first_screen;
pub mod format;
pub mod head;
pub mod pages;
pub mod pwa;
pub mod routing;
pub mod saved;
pub mod share;
pub mod storage;

use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::layout::{MAIN_ID, SiteFooter, SiteHeader, SkipLinks};
use crate::pages::article::ArticlePage;
use crate::pages::embed::EmbedApp;
use crate::pages::home::HomePage;
use crate::pages::not_found::NotFound;
use crate::pages::saved::SavedPage;
use crate::pages::section::SectionPage;
use crate::routing::RouteIndicators;

/// The whole app: an embed page for partner sites, or the site with its frame and routes.
#[component]
pub fn App() -> impl IntoView {
    let embedded = window()
        .location()
        .pathname()
        .is_ok_and(|p| p.starts_with("/embed/"));
    if embedded {
        return view! { <EmbedApp/> }.into_any();
    }
    provide_meta_context();
    pwa::start();
    view! {
        <Title formatter=|title: String| format!("{title} — Broadsheet")/>
        <Router>
            {routing::install();}
            <RouteIndicators/>
            <SkipLinks/>
            <SiteHeader/>
            <main id=MAIN_ID class="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/article/:slug") view=ArticlePage/>
                    <Route path=path!("/section/:slug") view=SectionPage/>
                    <Route path=path!("/saved") view=SavedPage/>
                </Routes>
            </main>
            <SiteFooter/>
            <pwa::UpdatePrompt/>
        </Router>
    }
    .into_any()
}
