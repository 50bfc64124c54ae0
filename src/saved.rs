//! Articles the reader keeps for offline reading ("Save for offline").
//!
//! A saved article is its API response, its first page of comments and its images, stored in the
//! `broadsheet-saved` cache. The service worker (`postbuild/sw.js`) answers from that cache when the
//! network cannot, refreshes it when the network brings newer copies, and never evicts it; the
//! app writes, lists and removes. The cache itself is the one record of what is saved.

use broadsheet_model::{Article, ArticleSummary, Block};
use js_sys::{Array, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Cache, Request, Response};

use crate::api;

/// The cache the service worker reads saved copies from.
const CACHE: &str = "broadsheet-saved";

/// Why saving, listing or removing did not work (in the site's language: `save.error_*`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveError {
    Full,
    Unavailable,
    Failed,
}

impl std::fmt::Display for SaveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::i18n::t(match self {
            SaveError::Full => "save.error_full",
            SaveError::Unavailable => "save.error_unavailable",
            SaveError::Failed => "save.error_failed",
        }))
    }
}

impl std::error::Error for SaveError {}

impl SaveError {
    fn from_js(error: JsValue) -> Self {
        let name = error
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.name()))
            .unwrap_or_default();
        if name == "QuotaExceededError" {
            SaveError::Full
        } else {
            leptos::logging::warn!("saving for offline failed: {error:?}");
            SaveError::Failed
        }
    }
}

async fn wait(promise: Promise) -> Result<JsValue, SaveError> {
    JsFuture::from(promise).await.map_err(SaveError::from_js)
}

async fn open() -> Result<Cache, SaveError> {
    let caches = leptos::prelude::window()
        .caches()
        .map_err(|_| SaveError::Unavailable)?;
    let cache = JsFuture::from(caches.open(CACHE))
        .await
        .map_err(|_| SaveError::Unavailable)?;
    cache.dyn_into().map_err(|_| SaveError::Unavailable)
}

/// The URLs that make an article readable offline: the same addresses the app asks for, so the
/// service worker finds them.
fn urls(article: &Article) -> Vec<String> {
    let mut urls = vec![
        api::article_url(&article.slug),
        api::comments_url(&article.slug, None),
    ];
    let images = article
        .image
        .iter()
        .chain(article.body.blocks.iter().filter_map(|b| match b {
            Block::Image(image) => Some(image),
            _ => None,
        }));
    // Only our own images: another site's would come back opaque, which no cache should keep.
    urls.extend(
        images
            .filter(|i| i.src.starts_with('/') && !i.src.starts_with("//"))
            .map(|i| i.src.clone()),
    );
    let mut seen = std::collections::HashSet::new();
    urls.retain(|url| seen.insert(url.clone()));
    urls
}

/// Keeps `article` for offline reading. All or nothing: if any part fails, nothing is kept.
pub async fn save(article: &Article) -> Result<(), SaveError> {
    let cache = open().await?;
    let list: Array = urls(article).into_iter().map(JsValue::from).collect();
    wait(cache.add_all_with_str_sequence(&list)).await?;
    // Ask the browser not to clear the storage under pressure; a refusal changes nothing here.
    if let Ok(promise) = leptos::prelude::window().navigator().storage().persist() {
        let _ = JsFuture::from(promise).await;
    }
    Ok(())
}

/// Stops keeping the article with this slug, its comments, and its images unless another saved
/// article shows them too.
pub async fn remove(slug: &str) -> Result<(), SaveError> {
    let cache = open().await?;
    let mut parts = vec![api::article_url(slug), api::comments_url(slug, None)];
    let mut still_needed = std::collections::HashSet::new();
    for article in articles(&cache).await? {
        if article.slug == slug {
            parts = urls(&article);
        } else {
            still_needed.extend(urls(&article));
        }
    }
    for url in parts.iter().filter(|url| !still_needed.contains(*url)) {
        wait(cache.delete_with_str(url)).await?;
    }
    Ok(())
}

/// Whether the article with this slug is saved.
pub async fn is_saved(slug: &str) -> bool {
    match open().await {
        Ok(cache) => wait(cache.match_with_str(&api::article_url(slug)))
            .await
            .is_ok_and(|r| r.is_instance_of::<Response>()),
        Err(_) => false,
    }
}

async fn read(cache: &Cache, url: &str) -> Option<Article> {
    let response: Response = wait(cache.match_with_str(url))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    let text = wait(response.text().ok()?).await.ok()?.as_string()?;
    serde_json::from_str(&text).ok()
}

/// The saved articles, newest first.
pub async fn list() -> Result<Vec<ArticleSummary>, SaveError> {
    let mut found: Vec<ArticleSummary> = articles(&open().await?)
        .await?
        .iter()
        .map(ArticleSummary::from)
        .collect();
    found.sort_by(|a, b| {
        b.published_at
            .cmp(&a.published_at)
            .then(a.slug.cmp(&b.slug))
    });
    Ok(found)
}

/// Every article in the cache, whole.
async fn articles(cache: &Cache) -> Result<Vec<Article>, SaveError> {
    let keys: Array = wait(cache.keys()).await?.unchecked_into();
    let article_prefix = absolute(&api::article_url(""));
    let mut found = Vec::new();
    for key in keys.iter() {
        let Ok(request) = key.dyn_into::<Request>() else {
            continue;
        };
        let url = request.url();
        let is_article = url
            .strip_prefix(&article_prefix)
            .is_some_and(|slug| !slug.is_empty() && !slug.contains(['/', '?']));
        if is_article && let Some(article) = read(cache, &url).await {
            found.push(article);
        }
    }
    Ok(found)
}

/// `path` as the absolute URL a cache key carries.
fn absolute(path: &str) -> String {
    let location = leptos::prelude::window().location();
    if path.starts_with('/') {
        format!("{}{path}", location.origin().unwrap_or_default())
    } else {
        path.to_owned()
    }
}
