//! All HTTP goes through this module: one JSON getter that times out and aborts, and one small
//! function per endpoint.

use broadsheet_model::{ApiError, Article, ArticleSummary, Page, Section};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;
use std::cell::Cell;
use std::rc::Rc;

/// How long a request may take before we give up on it and say so.
pub const TIMEOUT_MS: u32 = 10_000;

/// What went wrong with a request, in terms a reader can act on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("We could not reach Broadsheet. Check your connection and try again.")]
    Network,
    #[error("Broadsheet is taking too long to answer. Please try again.")]
    Timeout,
    #[error("We could not find that.")]
    NotFound,
    #[error("Broadsheet had a problem on its side (error {0}). Please try again.")]
    Status(u16),
    #[error("Broadsheet sent something we could not read. Please try again later.")]
    BadData(String),
}

/// The API's base URL: `<meta name="broadsheet-api" content="…">` in `index.html`, or `/api`.
/// A publisher points the app at their own API by changing that one tag.
pub fn base() -> String {
    document()
        .query_selector("meta[name=broadsheet-api]")
        .ok()
        .flatten()
        .and_then(|m| m.get_attribute("content"))
        .map(|s| s.trim_end_matches('/').to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "/api".to_owned())
}

/// GETs `url` and decodes its JSON body.
///
/// The request is aborted when it takes longer than [`TIMEOUT_MS`], and when the reactive owner
/// that started it is cleaned up (the reader left the page), so nothing keeps running for a page
/// nobody looks at.
pub async fn get_json<T: DeserializeOwned>(url: String) -> Result<T, FetchError> {
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    let timed_out = Rc::new(Cell::new(false));
    let _timer = controller.clone().map(|c| {
        let timed_out = Rc::clone(&timed_out);
        gloo_timers::callback::Timeout::new(TIMEOUT_MS, move || {
            timed_out.set(true);
            c.abort();
        })
    });
    let on_leave = SendWrapper::new(controller);
    Owner::on_cleanup(move || {
        if let Some(c) = on_leave.take() {
            c.abort();
        }
    });

    let failed = |timed_out: &Cell<bool>| {
        if timed_out.get() {
            FetchError::Timeout
        } else {
            FetchError::Network
        }
    };
    let response = gloo_net::http::Request::get(&url)
        .header("Accept", "application/json")
        .abort_signal(signal.as_ref())
        .send()
        .await
        .map_err(|_| failed(&timed_out))?;
    let status = response.status();
    let text = response.text().await.map_err(|_| failed(&timed_out))?;
    if status == 404 {
        return Err(FetchError::NotFound);
    }
    if !(200..300).contains(&status) {
        if let Ok(e) = serde_json::from_str::<ApiError>(&text) {
            leptos::logging::warn!("{url}: {status} {}: {}", e.error.code, e.error.message);
        }
        return Err(FetchError::Status(status));
    }
    serde_json::from_str(&text).map_err(|e| {
        leptos::logging::warn!("{url}: undecodable response: {e}");
        FetchError::BadData(e.to_string())
    })
}

/// One article. Blocks the app cannot show are left out and logged.
pub async fn article(slug: String) -> Result<Article, FetchError> {
    let article: Article = get_json(format!("{}/articles/{}", base(), encode(&slug))).await?;
    for skipped in &article.body.skipped {
        leptos::logging::warn!(
            "article {slug}: left out body block {}: {}",
            skipped.index,
            skipped.reason
        );
    }
    Ok(article)
}

/// The newest articles, optionally of one section.
pub async fn latest(
    section: Option<String>,
    limit: u32,
) -> Result<Page<ArticleSummary>, FetchError> {
    let mut url = format!("{}/articles?limit={limit}", base());
    if let Some(section) = section {
        url.push_str("&section=");
        url.push_str(&encode(&section));
    }
    get_json(url).await
}

/// The site's sections, for the navigation.
pub async fn sections() -> Result<Vec<Section>, FetchError> {
    get_json(format!("{}/sections", base())).await
}

/// Counts one page view of an article. Fire and forget: `sendBeacon` survives the reader
/// leaving the page, and a lost view is not worth bothering the reader about.
pub fn record_view(slug: &str) {
    let url = format!("{}/articles/{}/views", base(), encode(slug));
    if window().navigator().send_beacon(&url).is_err() {
        leptos::logging::warn!("could not count a view of {slug}");
    }
}

fn encode(segment: &str) -> String {
    String::from(js_sys::encode_uri_component(segment))
}
