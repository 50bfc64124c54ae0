//! The data a server-rendered page comes with: the JSON its first screen was made from, in
//! `<script type="application/json" id="broadsheet-first-screen">`. The server writes it
//! (`crate::render`); the app reads it once as it starts ([`read`]) and then takes each part
//! once, instead of asking the API for what is already on screen.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
#[cfg(not(target_arch = "wasm32"))]
use std::sync::Mutex;

use broadsheet_model::{
    Article, ArticleSummary, Front, Listing, Module, Page, SearchResults, Section,
};
use serde::{Deserialize, Serialize};

/// The id of the script element that carries the data.
pub const DATA_ID: &str = "broadsheet-first-screen";

/// What the server's first screen was made from: the page's own data, and the masthead's.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FirstScreen {
    /// The article of an article page.
    pub article: Option<Article>,
    /// The stories of the home page.
    pub front: Option<Front>,
    /// The first stories of a section front.
    pub section: Option<SectionStories>,
    /// A page of a tag's or an author's stories.
    pub listing: Option<ListingStories>,
    /// A search page's results, or why the query was refused.
    pub search: Option<SearchScreen>,
    /// The article whose comment box (the count and the form, before the comments load) the
    /// first screen shows: the app puts its own in place at once as it takes over.
    pub comment_box: Option<String>,
    /// The modules beside the page's content.
    pub modules: Option<PageModules>,
    /// The sections of the masthead.
    pub sections: Option<Vec<Section>>,
    /// The pictures the first screen shows from inside the page ([`Inline`]): each one's address
    /// and its `data:` URL, for the app to show them from the same bytes.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub pictures: BTreeMap<String, String>,
}

/// The site's own pictures small enough to come inside a page: a first screen's lead picture
/// among them is shown from its `data:` URL, so that the page's largest paint does not wait for
/// one more request. The server finds them in the built app once, as it starts.
#[derive(Clone, Debug, Default)]
pub struct Inline(pub Arc<HashMap<String, String>>);

/// While the server renders a first screen: the pictures that may come inside it, and those
/// that did.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone)]
struct Inlining {
    pictures: Inline,
    shown: Arc<Mutex<BTreeMap<String, String>>>,
}

/// A page's modules, as `GET /modules[?article=…]` answers them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageModules {
    /// The article page they are for; `None` on the fronts.
    pub article: Option<String>,
    pub modules: Vec<Module>,
}

/// The first page of a section's stories, as `GET /articles?section=…&limit=…` answers it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SectionStories {
    pub slug: String,
    pub limit: u32,
    pub page: Page<ArticleSummary>,
}

/// A page of a tag's or an author's stories, as `GET /tags/{tag}` or `GET /authors/{slug}`
/// (with `?cursor=` and `?limit=`) answers it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListingStories {
    /// The page's address (`Route::path`).
    pub path: String,
    pub cursor: Option<String>,
    pub limit: u32,
    pub listing: Listing,
}

/// A page of a search's results, as `GET /search?q=…&cursor=…` answers it: the results, or the
/// sentence that says why the query was refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchScreen {
    pub query: String,
    pub cursor: Option<String>,
    pub outcome: Result<SearchResults, String>,
}

impl FirstScreen {
    /// The API addresses (as the app asks for them, from `api::base`) this data stands for.
    pub fn api_urls(&self) -> Vec<String> {
        use crate::api;
        let mut urls = Vec::new();
        if let Some(article) = &self.article {
            urls.push(api::article_url(&article.slug));
        }
        if self.front.is_some() {
            urls.push(api::front_url());
        }
        if let Some(section) = &self.section {
            urls.push(api::section_page_url(&section.slug, None, section.limit));
        }
        if let Some(stories) = &self.listing {
            let route = crate::route::Route::parse(&stories.path);
            if let Some((list, name)) = route.api_list() {
                let cursor = stories.cursor.as_deref();
                urls.push(api::listing_url(list, name, cursor, stories.limit));
            }
        }
        if let Some(search) = &self.search {
            urls.push(api::search_url(&search.query, search.cursor.as_deref()));
        }
        if let Some(modules) = &self.modules {
            urls.push(api::modules_url(modules.article.as_deref()));
        }
        if self.sections.is_some() {
            urls.push(api::sections_url());
        }
        urls
    }

    /// The data as the text of a `<script>` element: no `<` at all, so no `</script>` or `<!--`
    /// can end or change it (`\u003c` reads back as `<`).
    pub fn script_text(&self) -> String {
        serde_json::to_string(self)
            .unwrap_or_else(|_| "{}".to_owned())
            .replace('<', "\\u003c")
    }
}

thread_local! {
    /// What the page came with, until the app has used it (in the browser; natively, never
    /// anything).
    static DATA: RefCell<FirstScreen> = RefCell::new(FirstScreen::default());
    /// The API addresses that data stands for, for the service worker to keep.
    static URLS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// The article whose page the server rendered: the bootstrap (`postbuild/bootstrap.js`)
    /// counted its view, until the app has seen it.
    static VIEWED: RefCell<Option<String>> = const { RefCell::new(None) };
    /// The pictures the page came with inside it, by address; kept, as the app may show them
    /// again.
    static PICTURES: RefCell<BTreeMap<String, String>> = const { RefCell::new(BTreeMap::new()) };
}

/// Renders `view` (natively, on the server) with `pictures` for [`inline_picture`] to show from
/// inside the page: the markup, and the pictures it showed so (for [`FirstScreen::pictures`]).
/// Call inside the render's owner.
#[cfg(not(target_arch = "wasm32"))]
pub fn with_pictures(
    pictures: &Inline,
    view: impl FnOnce() -> String,
) -> (String, BTreeMap<String, String>) {
    let shown = Arc::new(Mutex::new(BTreeMap::new()));
    leptos::prelude::provide_context(Inlining {
        pictures: pictures.clone(),
        shown: shown.clone(),
    });
    let markup = view();
    let shown = std::mem::take(&mut *shown.lock().unwrap_or_else(|e| e.into_inner()));
    (markup, shown)
}

/// The `data:` URL to show the picture at `src` from, if the page brings it inside: on the
/// server, if it is one of the site's small pictures (and the page then brings it); in the
/// browser, if the page came with it.
pub fn inline_picture(src: &str) -> Option<String> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let inlining = leptos::prelude::use_context::<Inlining>()?;
        let url = inlining.pictures.0.get(src)?.clone();
        let mut shown = inlining.shown.lock().unwrap_or_else(|e| e.into_inner());
        shown.insert(src.to_owned(), url.clone());
        Some(url)
    }
    #[cfg(target_arch = "wasm32")]
    PICTURES.with_borrow(|pictures| pictures.get(src).cloned())
}

/// Reads the data the page came with, if it has any. Data that does not decode is logged and
/// ignored: the app then asks the API, as on any other page. Call once, as the app starts.
pub fn read() {
    let Some(script) = leptos::prelude::document().get_element_by_id(DATA_ID) else {
        return;
    };
    match serde_json::from_str::<FirstScreen>(&script.text_content().unwrap_or_default()) {
        Ok(data) => {
            URLS.set(data.api_urls());
            VIEWED.set(data.article.as_ref().map(|a| a.slug.clone()));
            PICTURES.set(data.pictures.clone());
            DATA.set(data);
        }
        Err(e) => leptos::logging::warn!("the page's first-screen data is unusable: {e}"),
    }
}

/// The article the page came with, once, if it is the one at `slug`.
pub fn article(slug: &str) -> Option<Article> {
    DATA.with_borrow_mut(|data| data.article.take_if(|a| a.slug == slug))
}

/// Whether this view of the article at `slug` was counted before the app started (the page the
/// server rendered is its first view), asked once.
pub fn view_counted(slug: &str) -> bool {
    VIEWED.with_borrow_mut(|viewed| viewed.take_if(|s| s == slug).is_some())
}

/// The home page's stories the page came with, once.
pub fn front() -> Option<Front> {
    DATA.with_borrow_mut(|data| data.front.take())
}

/// The first `limit` stories of the section `slug` the page came with, once.
pub fn section_page(slug: &str, limit: u32) -> Option<Page<ArticleSummary>> {
    DATA.with_borrow_mut(|data| {
        data.section
            .take_if(|s| s.slug == slug && s.limit == limit)
            .map(|s| s.page)
    })
}

/// The page of the tag's or author's stories at `path` the page came with, once, if it is
/// the one after `cursor` (`limit` at a time).
pub fn listing(path: &str, cursor: Option<&str>, limit: u32) -> Option<Listing> {
    DATA.with_borrow_mut(|data| {
        data.listing
            .take_if(|s| s.path == path && s.cursor.as_deref() == cursor && s.limit == limit)
            .map(|s| s.listing)
    })
}

/// The results of `query` from `cursor` the page came with, once.
pub fn search(query: &str, cursor: Option<&str>) -> Option<Result<SearchResults, String>> {
    DATA.with_borrow_mut(|data| {
        data.search
            .take_if(|s| s.query == query && s.cursor.as_deref() == cursor)
            .map(|s| s.outcome)
    })
}

/// The modules of the page (of the article at `article`, or of a front) the page came with,
/// once.
pub fn modules(article: Option<&str>) -> Option<Vec<Module>> {
    DATA.with_borrow_mut(|data| {
        data.modules
            .take_if(|m| m.article.as_deref() == article)
            .map(|m| m.modules)
    })
}

/// Whether the page showed the comment box of the article at `slug` (asked once).
pub fn brought_comment_box(slug: &str) -> bool {
    DATA.with_borrow_mut(|data| data.comment_box.take_if(|s| s == slug).is_some())
}

/// Whether the page came with its modules (not yet used).
pub fn brought_modules() -> bool {
    DATA.with_borrow(|data| data.modules.is_some())
}

/// The masthead's sections the page came with, once.
pub fn sections() -> Option<Vec<Section>> {
    DATA.with_borrow_mut(|data| data.sections.take())
}

/// The API addresses (as the app asks for them) the page's data stands for.
pub fn api_urls() -> Vec<String> {
    URLS.with_borrow(Clone::clone)
}
