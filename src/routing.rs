//! What happens around a client-side navigation, so it feels instant and stays accessible:
//!
//! - once the new page has rendered, its title is announced in a live region and focus moves to
//!   its `h1` (never left on a link that disappeared);
//! - a new page starts at the top; back and forward restore where the reader was;
//! - a slim progress bar shows while a page's data loads;
//! - hovering or focusing an article link prefetches the article (see [`page_data::prefetch`]).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::page_data::{self, InFlight};
use crate::route::Route;

thread_local! {
    /// Whether the first page has been shown: focus moves only on later navigations.
    static SHOWN_FIRST: Cell<bool> = const { Cell::new(false) };
    /// Whether the current navigation came from back/forward, so its scroll is to be restored.
    static RESTORING: Cell<bool> = const { Cell::new(false) };
    /// The last scroll position of each address visited.
    static SCROLL: RefCell<HashMap<String, f64>> = RefCell::new(HashMap::new());
}

fn here() -> String {
    let l = window().location();
    format!(
        "{}{}",
        l.pathname().unwrap_or_default(),
        l.search().unwrap_or_default()
    )
}

/// The live region's text, shared by the app.
#[derive(Clone, Copy)]
pub struct RouteState {
    pub announcement: RwSignal<String>,
}

/// Sets up scroll tracking and prefetching; call once, in the app's root.
pub fn install() -> RouteState {
    if let Ok(history) = window().history() {
        let _ = history.set_scroll_restoration(web_sys::ScrollRestoration::Manual);
    }
    let _ = window_event_listener(leptos::ev::popstate, |_| RESTORING.set(true));
    let _ = window_event_listener(leptos::ev::scroll, |_| {
        if !RESTORING.get() {
            let y = window().scroll_y().unwrap_or(0.0);
            SCROLL.with_borrow_mut(|s| s.insert(here(), y));
        }
    });
    // Prefetch the article a link points to when the pointer rests on it or it gets focus.
    let prefetch = |ev: web_sys::Event| {
        let link = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten());
        if let Some(href) = link.and_then(|a| a.get_attribute("href"))
            && let Route::Article { slug } = Route::parse(&href)
        {
            page_data::prefetch(slug);
        }
    };
    let _ = window_event_listener(leptos::ev::pointerover, move |ev| prefetch(ev.into()));
    let _ = window_event_listener(leptos::ev::focusin, move |ev| prefetch(ev.into()));
    let state = RouteState {
        announcement: RwSignal::new(String::new()),
    };
    provide_context(state);
    state
}

/// Called by a page once its main content (with its `h1`) is rendered. The work waits for the
/// next frame, when the new content is certainly in the document.
pub fn page_ready(title: &str) {
    let announce = use_context::<RouteState>().map(|s| s.announcement);
    let title = title.to_owned();
    request_animation_frame(move || {
        let first = !SHOWN_FIRST.replace(true);
        if RESTORING.get() {
            let y = SCROLL
                .with_borrow(|s| s.get(&here()).copied())
                .unwrap_or(0.0);
            restore_scroll(y, 30);
        }
        if first {
            return;
        }
        if let Some(announce) = announce {
            announce.try_set(title);
        }
        if let Some(h1) = document()
            .query_selector("main h1")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let options = web_sys::FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = h1.focus_with_options(&options);
        }
    });
}

/// Scrolls back to `y`. Content that loads after the page (modules, images) can still be making
/// the page long enough, so this tries again for a few frames until the position holds.
fn restore_scroll(y: f64, frames_left: u32) {
    window().scroll_to_with_x_and_y(0.0, y);
    let reached = (window().scroll_y().unwrap_or(0.0) - y).abs() < 1.0;
    if reached || frames_left == 0 {
        RESTORING.set(false);
    } else {
        request_animation_frame(move || restore_scroll(y, frames_left - 1));
    }
}

/// Put into a page's rendered content: runs [`page_ready`] once it is in the document.
#[component]
pub fn PageReady(
    /// The page's title, as announced.
    title: String,
) -> impl IntoView {
    Effect::new(move |_| page_ready(&title));
}

/// The slim bar at the top of the window while a page's data loads, and the live region that
/// announces each new page.
#[component]
pub fn RouteIndicators() -> impl IntoView {
    let state = use_context::<RouteState>()?;
    let InFlight(in_flight) = use_context::<InFlight>()?;
    Some(view! {
        <div
            class=move || {
                if in_flight.get() > 0 { "progress progress--active" } else { "progress" }
            }
            aria-hidden="true"
        ></div>
        // Announces the new page's title: a headline or a name (content) or a message (its own,
        // checked as the document's title), so it is marked as content for the pseudo-locale test.
        <p class="visually-hidden" aria-live="polite" aria-atomic="true" data-content="">{move || state.announcement.get()}</p>
    })
}
