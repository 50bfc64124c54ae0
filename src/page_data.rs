//! The data a page shows, wherever it comes from: what the page was sent with (the server's
//! first screen, [`embedded`]), an article prefetched when the reader pointed at its link, or a
//! request to the API ([`crate::api`]) that shows the progress bar while it runs.
//!
//! Pages ask here, never the API directly, for what makes up their first screen.

pub mod embedded;

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;

use broadsheet_model::{
    Article, ArticleSummary, Front, Listing, Module, Page, SearchResults, Section,
};
use futures::future::{Either, FutureExt, LocalBoxFuture, Shared};
use leptos::prelude::*;

use crate::api::{self, FetchError, SearchError};
use crate::route::Route;

/// The number of page requests in flight, for the progress bar. Provided once, by the app.
#[derive(Clone, Copy)]
pub struct InFlight(pub RwSignal<u32>);

/// Makes the progress counter available to the pages below; call once, in the app's root.
pub fn provide_in_flight() -> InFlight {
    let in_flight = InFlight(RwSignal::new(0));
    provide_context(in_flight);
    in_flight
}

/// Counts a page request as in flight while it lives.
struct Busy(Option<RwSignal<u32>>);

impl Busy {
    fn start() -> Busy {
        let signal = use_context::<InFlight>().map(|s| s.0);
        if let Some(s) = signal {
            s.update(|n| *n += 1);
        }
        Busy(signal)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        if let Some(s) = self.0 {
            s.try_update(|n| *n = n.saturating_sub(1));
        }
    }
}

/// What the page came with, or else `request` as a page load (counted by the progress bar).
fn from_page_or_load<T>(
    came_with_page: Option<T>,
    request: impl Future<Output = Result<T, FetchError>>,
) -> impl Future<Output = Result<T, FetchError>> {
    match came_with_page {
        Some(value) => Either::Left(std::future::ready(Ok(value))),
        None => {
            let busy = Busy::start();
            Either::Right(async move {
                let _busy = busy;
                request.await
            })
        }
    }
}

type SharedArticle = Shared<LocalBoxFuture<'static, Result<Article, FetchError>>>;

/// How long a prefetched article is used instead of asking again.
const PREFETCH_FRESH_MS: f64 = 60_000.0;

thread_local! {
    /// Articles prefetched (or being prefetched), with when they were asked for.
    static PREFETCHED: RefCell<HashMap<String, (f64, SharedArticle)>> = RefCell::new(HashMap::new());
}

fn prefetched(slug: &str) -> Option<SharedArticle> {
    let now = js_sys::Date::now();
    PREFETCHED.with_borrow_mut(|cache| {
        cache.retain(|_, (at, _)| now - *at < PREFETCH_FRESH_MS);
        cache.get(slug).map(|(_, f)| f.clone())
    })
}

/// Starts loading an article the reader is likely to open, unless it is loaded or loading. The
/// article page then uses the same response: opening it sends no second request.
pub fn prefetch(slug: String) {
    if slug.is_empty() || prefetched(&slug).is_some() {
        return;
    }
    let shared = api::article(slug.clone()).boxed_local().shared();
    PREFETCHED
        .with_borrow_mut(|cache| cache.insert(slug.clone(), (js_sys::Date::now(), shared.clone())));
    leptos::task::spawn_local(async move {
        if shared.await.is_err() {
            // A failed prefetch is forgotten: the page will ask again and show the error.
            PREFETCHED.with_borrow_mut(|cache| cache.remove(&slug));
        }
    });
}

/// One article, for its page: the one the page came with, else the prefetched response if there
/// is a fresh one, else a page load.
pub fn article(slug: String) -> impl Future<Output = Result<Article, FetchError>> {
    from_page_or_load(embedded::article(&slug), async move {
        match prefetched(&slug) {
            Some(shared) => {
                let result = shared.await;
                if result.is_err() {
                    PREFETCHED.with_borrow_mut(|cache| cache.remove(&slug));
                }
                result
            }
            None => api::article(slug).await,
        }
    })
}

/// The newest articles of a section, `limit` at a time, after `cursor`: the first ones the page
/// came with, else a page load.
pub fn section_page(
    section: String,
    cursor: Option<String>,
    limit: u32,
) -> impl Future<Output = Result<Page<ArticleSummary>, FetchError>> {
    let came_with_page = cursor
        .is_none()
        .then(|| embedded::section_page(&section, limit))
        .flatten();
    from_page_or_load(
        came_with_page,
        api::section_page(section, cursor.as_deref(), limit),
    )
}

/// A page of a tag's or an author's stories (`route`), `limit` at a time, after `cursor`: the
/// one the page came with, else a page load.
pub fn listing(
    route: &Route,
    cursor: Option<String>,
    limit: u32,
) -> impl Future<Output = Result<Listing, FetchError>> + use<> {
    let came_with_page = embedded::listing(&route.path(), cursor.as_deref(), limit);
    let request = route
        .api_list()
        .map(|(list, name)| api::listing(list, name, cursor.as_deref(), limit));
    from_page_or_load(came_with_page, async move {
        match request {
            Some(request) => request.await,
            None => Err(FetchError::NotFound),
        }
    })
}

/// A page of a search's results: the ones the page came with, else a page load.
pub fn search(
    query: String,
    cursor: Option<String>,
) -> impl Future<Output = Result<SearchResults, SearchError>> {
    let came_with_page = embedded::search(&query, cursor.as_deref());
    let busy = came_with_page.is_none().then(Busy::start);
    async move {
        let _busy = busy;
        match came_with_page {
            Some(outcome) => outcome.map_err(SearchError::Refused),
            None => api::search(query, cursor).await,
        }
    }
}

/// The home page's stories: the ones the page came with, else a page load.
pub fn front() -> impl Future<Output = Result<Front, FetchError>> {
    from_page_or_load(embedded::front(), api::front())
}

/// The sidebar modules of an article page, or of a front: the ones the page came with, else
/// from the API (not a page load: they never hold the page up).
pub async fn modules(article: Option<String>) -> Result<Vec<Module>, FetchError> {
    match embedded::modules(article.as_deref()) {
        Some(modules) => Ok(modules),
        None => api::modules(article.as_deref()).await,
    }
}

/// The site's sections, for the navigation: the ones the page came with, else from the API.
pub async fn sections() -> Result<Vec<Section>, FetchError> {
    match embedded::sections() {
        Some(sections) => Ok(sections),
        None => api::sections().await,
    }
}
