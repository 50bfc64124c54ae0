//! All HTTP goes through this module: one request core that times out and aborts, and one small
//! function per endpoint of the API contract (`broadsheet-model`). Nothing here knows about
//! pages: where a page's data comes from is `crate::page_data`.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::future::Future;
use std::rc::Rc;

use broadsheet_model::{
    ApiError, Article, ArticleSummary, Comment, CommentPage, Front, Listing, Module, NewComment,
    Page, SearchResults, Section,
};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;

/// How long a request may take before we give up on it and say so.
pub const TIMEOUT_MS: u32 = 10_000;

/// What went wrong with a request, in terms a reader can act on (in the site's language:
/// `errors.*`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchError {
    Network,
    /// The device is offline and no saved copy was at hand (the service worker says so with a
    /// 503 whose code is `offline`).
    Offline,
    Timeout,
    NotFound,
    /// 429 or 503: too much at once, for us or for the server.
    Busy,
    Status(u16),
    BadData(String),
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::i18n;
        let text = match self {
            FetchError::Network => i18n::t("errors.network"),
            FetchError::Offline => i18n::t("errors.offline"),
            FetchError::Timeout => i18n::t("errors.timeout"),
            FetchError::NotFound => i18n::t("errors.not_found"),
            FetchError::Busy => i18n::t("errors.busy"),
            FetchError::Status(status) => {
                i18n::fill("errors.status", &[("status", &status.to_string())])
            }
            FetchError::BadData(_) => i18n::t("errors.bad_data"),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for FetchError {}

/// Why a comment was not posted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PostError {
    /// The server refused some fields; a sentence per field.
    #[error("Please check the highlighted fields.")]
    Invalid(BTreeMap<String, String>),
    /// Too many comments just now; try again after this many seconds.
    #[error("You are posting too quickly. Please try again in {0} seconds.")]
    RateLimited(u64),
    #[error("{0}")]
    Fetch(#[from] FetchError),
}

/// Why a search gave no results page.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    /// The server refused the query (empty, too long…): its sentence for the reader.
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Fetch(#[from] FetchError),
}

thread_local! {
    static BASE: std::cell::OnceCell<String> = const { std::cell::OnceCell::new() };
}

/// The API's base URL: `<meta name="broadsheet-api" content="…">` in `index.html`, or `/api`.
/// A publisher points the app at their own API by changing that one tag. Read once.
pub fn base() -> String {
    BASE.with(|base| {
        base.get_or_init(|| {
            document()
                .query_selector("meta[name=broadsheet-api]")
                .ok()
                .flatten()
                .and_then(|m| m.get_attribute("content"))
                .map(|s| s.trim_end_matches('/').to_owned())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "/api".to_owned())
        })
        .clone()
    })
}

/// A response as it came: status, `Retry-After` and body text.
struct Raw {
    status: u16,
    retry_after: Option<u64>,
    text: String,
}

/// Sends a request and reads its whole body.
///
/// The request is aborted when it takes longer than [`TIMEOUT_MS`], and when the reactive owner
/// that started it is cleaned up (the reader left the page), so nothing keeps running for a page
/// nobody looks at.
async fn send(
    request: gloo_net::http::RequestBuilder,
    body: Option<String>,
) -> Result<Raw, FetchError> {
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
    let failed = || {
        if timed_out.get() {
            FetchError::Timeout
        } else if !window().navigator().on_line() {
            FetchError::Offline
        } else {
            FetchError::Network
        }
    };

    let request = request
        .header("Accept", "application/json")
        .abort_signal(signal.as_ref());
    let request = match body {
        Some(body) => request
            .header("Content-Type", "application/json")
            .body(body)
            .map_err(|_| FetchError::Network)?,
        None => request.build().map_err(|_| FetchError::Network)?,
    };
    let response = request.send().await.map_err(|_| failed())?;
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.trim().parse().ok());
    let text = response.text().await.map_err(|_| failed())?;
    Ok(Raw {
        status,
        retry_after,
        text,
    })
}

/// Turns a non-2xx answer into an error, and a 2xx one into its decoded JSON.
fn decode<T: DeserializeOwned>(url: &str, raw: &Raw) -> Result<T, FetchError> {
    match raw.status {
        200..=299 => serde_json::from_str(&raw.text).map_err(|e| {
            leptos::logging::warn!("{url}: undecodable response: {e}");
            FetchError::BadData(e.to_string())
        }),
        404 => Err(FetchError::NotFound),
        status => match serde_json::from_str::<ApiError>(&raw.text) {
            Ok(e) if status == 503 && e.error.code == "offline" => Err(FetchError::Offline),
            other => {
                if let Ok(e) = other {
                    leptos::logging::warn!("{url}: {status} {}: {}", e.error.code, e.error.message);
                }
                Err(match status {
                    429 | 503 => FetchError::Busy,
                    _ => FetchError::Status(status),
                })
            }
        },
    }
}

/// GETs `url` and decodes its JSON body.
pub async fn get_json<T: DeserializeOwned>(url: String) -> Result<T, FetchError> {
    let raw = send(gloo_net::http::Request::get(&url), None).await?;
    decode(&url, &raw)
}

/// The address of an article.
pub fn article_url(slug: &str) -> String {
    format!("{}/articles/{}", base(), encode(slug))
}

/// The address of a page of an article's comments (the first page without a cursor).
pub fn comments_url(slug: &str, cursor: Option<&str>) -> String {
    let mut url = format!("{}/comments", article_url(slug));
    if let Some(cursor) = cursor {
        url.push_str("?cursor=");
        url.push_str(&encode(cursor));
    }
    url
}

/// One article. Blocks the app cannot show are left out and logged.
pub async fn article(slug: String) -> Result<Article, FetchError> {
    let article: Article = get_json(article_url(&slug)).await?;
    for skipped in &article.body.skipped {
        leptos::logging::warn!(
            "article {slug}: left out body block {}: {}",
            skipped.index,
            skipped.reason
        );
    }
    Ok(article)
}

/// The newest articles of a section, `limit` at a time, after `cursor`.
pub fn section_page(
    section: String,
    cursor: Option<&str>,
    limit: u32,
) -> impl Future<Output = Result<Page<ArticleSummary>, FetchError>> + use<> {
    get_json(section_page_url(&section, cursor, limit))
}

/// The address of a page of a section's articles.
pub fn section_page_url(section: &str, cursor: Option<&str>, limit: u32) -> String {
    let mut url = format!(
        "{}/articles?limit={limit}&section={}",
        base(),
        encode(section)
    );
    if let Some(cursor) = cursor {
        url.push_str("&cursor=");
        url.push_str(&encode(cursor));
    }
    url
}

/// A page of the stories of a tag (`list` is `"tags"`, `name` the tag) or of an author
/// (`"authors"`, their slug), `limit` at a time, after `cursor`.
pub fn listing(
    list: &str,
    name: &str,
    cursor: Option<&str>,
    limit: u32,
) -> impl Future<Output = Result<Listing, FetchError>> + use<> {
    get_json(listing_url(list, name, cursor, limit))
}

/// The address of a page of a tag's or an author's stories (see [`listing`]).
pub fn listing_url(list: &str, name: &str, cursor: Option<&str>, limit: u32) -> String {
    let mut url = format!("{}/{list}/{}?limit={limit}", base(), encode(name));
    if let Some(cursor) = cursor {
        url.push_str("&cursor=");
        url.push_str(&encode(cursor));
    }
    url
}

/// The home page's stories.
pub async fn front() -> Result<Front, FetchError> {
    get_json(front_url()).await
}

/// The address of the home page's stories.
pub fn front_url() -> String {
    format!("{}/front", base())
}

/// The sidebar modules of an article page, or of a front.
pub fn modules(
    article: Option<&str>,
) -> impl Future<Output = Result<Vec<Module>, FetchError>> + use<> {
    get_json(modules_url(article))
}

/// The address of the modules of an article page (or of a front, without an article).
pub fn modules_url(article: Option<&str>) -> String {
    let mut url = format!("{}/modules", base());
    if let Some(slug) = article {
        url.push_str("?article=");
        url.push_str(&encode(slug));
    }
    url
}

/// The site's sections.
pub async fn sections() -> Result<Vec<Section>, FetchError> {
    get_json(sections_url()).await
}

/// The address of the sections.
pub fn sections_url() -> String {
    format!("{}/sections", base())
}

/// Counts one page view of an article. Fire and forget: `sendBeacon` survives the reader
/// leaving the page, and a lost view is not worth bothering the reader about. A page the
/// browser prerenders has not been seen yet: its view is sent when the reader opens it.
pub fn record_view(slug: &str) {
    let url = format!("{}/views", article_url(slug));
    let slug = slug.to_owned();
    let send = move || {
        if window().navigator().send_beacon(&url).is_err() {
            leptos::logging::warn!("could not count a view of {slug}");
        }
    };
    let doc = document();
    let prerendering = js_sys::Reflect::get(&doc, &"prerendering".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    if !prerendering {
        return send();
    }
    let once = web_sys::AddEventListenerOptions::new();
    once.set_once(true);
    let shown = wasm_bindgen::closure::Closure::once_into_js(send);
    let _ = doc.add_event_listener_with_callback_and_add_event_listener_options(
        "prerenderingchange",
        wasm_bindgen::JsCast::unchecked_ref(&shown),
        &once,
    );
}

/// The address of a page of a search's results (the first without a cursor).
pub fn search_url(query: &str, cursor: Option<&str>) -> String {
    let mut url = format!("{}/search?q={}", base(), encode(query));
    if let Some(cursor) = cursor {
        url.push_str("&cursor=");
        url.push_str(&encode(cursor));
    }
    url
}

/// A page of the results of `query`, after `cursor`. A query the server refuses (400, 422)
/// comes back as its message.
pub async fn search(query: String, cursor: Option<String>) -> Result<SearchResults, SearchError> {
    let url = search_url(&query, cursor.as_deref());
    let raw = send(gloo_net::http::Request::get(&url), None).await?;
    match raw.status {
        400 | 422 => match serde_json::from_str::<ApiError>(&raw.text) {
            Ok(e) => Err(SearchError::Refused(e.error.message)),
            Err(e) => Err(FetchError::BadData(e.to_string()).into()),
        },
        _ => Ok(decode(&url, &raw)?),
    }
}

/// A page of an article's comments, newest first, starting after `cursor`.
pub async fn comments(slug: String, cursor: Option<String>) -> Result<CommentPage, FetchError> {
    get_json(comments_url(&slug, cursor.as_deref())).await
}

/// Posts a comment. Sending the same `comment` again (same idempotency key) never stores a
/// second copy: the server answers with the first result.
pub async fn post_comment(slug: String, comment: NewComment) -> Result<Comment, PostError> {
    let url = comments_url(&slug, None);
    let body = serde_json::to_string(&comment).map_err(|e| FetchError::BadData(e.to_string()))?;
    let raw = send(gloo_net::http::Request::post(&url), Some(body)).await?;
    match raw.status {
        422 => {
            let fields = serde_json::from_str::<ApiError>(&raw.text)
                .map(|e| e.error.fields)
                .unwrap_or_default();
            Err(PostError::Invalid(fields))
        }
        429 => Err(PostError::RateLimited(raw.retry_after.unwrap_or(60).max(1))),
        _ => Ok(decode(&url, &raw)?),
    }
}

/// Reports a comment to the moderators.
pub async fn report_comment(slug: String, id: i64) -> Result<(), FetchError> {
    let url = format!("{}/{id}/report", comments_url(&slug, None));
    let raw = send(gloo_net::http::Request::post(&url), None).await?;
    match raw.status {
        200..=299 => Ok(()),
        404 => Err(FetchError::NotFound),
        status => Err(FetchError::Status(status)),
    }
}

fn encode(segment: &str) -> String {
    String::from(js_sys::encode_uri_component(segment))
}
