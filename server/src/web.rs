//! Serving the built app: files from `dist/`, and `index.html` for the app's own routes.

use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeDir;

use broadsheet::i18n;
use broadsheet::page_data::embedded::{ListingStories, PageModules, SearchScreen, SectionStories};
use broadsheet::render::{self, Frame};
use broadsheet::route::{Route, not_found_title};

use crate::api::{self, FRONT_PER_SECTION};
use crate::head::{self, OPENSEARCH_PATH};
use crate::http::error::AppError;
use crate::listings;
use crate::rankings;
use crate::ready::Kept;
use crate::state::AppState;
use crate::store::{ListOf, ScreenQuery};

const NO_CACHE: &str = "no-cache";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const SHORT: &str = "public, max-age=3600";

/// Whether the last path segment names a file (`/x/app-1a2b.wasm`) rather than an app page.
fn is_file_path(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|name| name.contains('.'))
}

/// Trunk names built assets `name-<hash>.ext`, the hash in hex without leading zeros (so usually
/// 16 digits, sometimes fewer): those never change, so cache them forever.
fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let stem = name.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// The site's address for links in the answer to a request (`crate::http::site`); a request
/// that names a host this site is not is refused.
pub fn base_url(state: &AppState, headers: &axum::http::HeaderMap) -> Result<String, AppError> {
    state
        .site
        .base(headers)
        .map(|b| b.into_owned())
        .ok_or(AppError::MisdirectedHost)
}

/// An app page as the server sends it.
struct Page {
    status: StatusCode,
    /// What replaces the built `<title>`.
    head: String,
    /// The first screen, rendered with the app's components (article pages).
    body: Option<String>,
}

impl From<(StatusCode, String)> for Page {
    fn from((status, head): (StatusCode, String)) -> Self {
        Page {
            status,
            head,
            body: None,
        }
    }
}

/// An app page: its `<head>`, and for a page with a first screen (article, home, section front)
/// that screen rendered with the app's components; 404 for what does not exist.
async fn page(
    state: &AppState,
    path: &str,
    cursor: Option<&str>,
    base: &str,
) -> Result<Page, AppError> {
    let route = Route::parse(path);
    if let Some(of) = list_of(&route) {
        return listing_page(state, &route, of, path, cursor, base).await;
    }
    let (status, head) = page_head(state, &route, path, base).await?;
    if status != StatusCode::OK || !route.has_first_screen() {
        // Saved, embeds: the app's alone.
        return Ok(Page::from((status, head)));
    }
    // In one trip to the database: the page's modules (`None`: its article is gone since its
    // head was written; the app will say so), the masthead's sections, and a front's stories.
    let limit = broadsheet::pages::section::PAGE;
    let query = ScreenQuery {
        front: (route == Route::Home).then_some(FRONT_PER_SECTION),
        section: match &route {
            Route::Section { slug } => Some((slug.clone(), limit)),
            _ => None,
        },
    };
    let article = match &route {
        Route::Article { slug } => Some(slug.clone()),
        _ => None,
    };
    let own = async {
        match &article {
            Some(slug) => state.ready.article_modules(&state.store, slug).await,
            None => Ok(Some(Arc::new(Vec::new()))),
        }
    };
    let (screen, rankings, own) = tokio::try_join!(
        state.store.first_screen(query),
        state.rankings.get(&state.store),
        own
    )?;
    // `None`: the article is gone since its head was written; the app will say so.
    let Some(own) = own else {
        return Ok(Page::from((status, head)));
    };
    // A query the API would refuse is the page's message, not an error page.
    let searched = match &route {
        Route::Search { query, cursor } => {
            Some(match api::SearchRequest::parse(query, cursor.as_deref()) {
                Ok(request) => Ok(request.run(state.store.as_ref()).await?),
                Err(refused) => Err(refused.to_string()),
            })
        }
        _ => None,
    };
    let modules = PageModules {
        modules: rankings::page_modules(article.is_some().then(|| own.to_vec()), &rankings),
        article,
    };
    let frame = Frame {
        sections: &screen.sections,
        modules: &modules,
        public_base: base,
        pictures: &state.pictures,
    };
    let body = match (&route, screen.front, screen.stories) {
        (Route::Article { slug }, ..) => state
            .articles
            .get(slug)
            .await?
            .map(|cached| render::article(&cached.article, &frame)),
        (Route::Home, Some(front), _) => Some(render::home(&front, &frame)),
        (Route::Search { query, cursor }, ..) => searched.map(|outcome| {
            render::search(
                &SearchScreen {
                    query: query.clone(),
                    cursor: cursor.clone(),
                    outcome,
                },
                &frame,
            )
        }),
        (Route::Section { slug }, _, Some(page)) => Some(render::section(
            &SectionStories {
                slug: slug.clone(),
                limit,
                page,
            },
            &frame,
        )),
        _ => None,
    };
    Ok(Page { status, head, body })
}

/// Whose stories a tag's or an author's page lists.
fn list_of(route: &Route) -> Option<ListOf> {
    match route {
        Route::Tag { tag } => Some(ListOf::Tag(tag.clone())),
        Route::Author { slug } => Some(ListOf::Author(slug.clone())),
        _ => None,
    }
}

/// A tag's or an author's page after `cursor` (the newest without): its head and first screen,
/// or 404 for a tag no article has, an author no article is by, or a cursor this server did
/// not give out.
async fn listing_page(
    state: &AppState,
    route: &Route,
    of: ListOf,
    path: &str,
    cursor: Option<&str>,
    base: &str,
) -> Result<Page, AppError> {
    let not_found = || Page::from(not_found_head(route, path, base));
    let Ok(after) = listings::parse_cursor(cursor) else {
        return Ok(not_found());
    };
    let limit = broadsheet::pages::listing::PAGE;
    let (listing, sections, rankings) = tokio::try_join!(
        state.store.listing(&of, limit, after),
        state.store.sections(),
        state.rankings.get(&state.store)
    )?;
    let Some(listing) = listing else {
        return Ok(not_found());
    };
    let head = head::page(
        Some(&route.title(Some(&listing.name))),
        &route.description(Some(&listing.name)),
        &route.path(),
        base,
        route.indexed(),
    );
    let modules = PageModules {
        modules: rankings::page_modules(None, &rankings),
        article: None,
    };
    let frame = Frame {
        sections: &sections,
        modules: &modules,
        public_base: base,
        pictures: &state.pictures,
    };
    let stories = ListingStories {
        path: route.path(),
        cursor: cursor.map(str::to_owned),
        limit,
        listing,
    };
    Ok(Page {
        status: StatusCode::OK,
        head,
        body: Some(render::listing(route, &stories, &frame)),
    })
}

/// The status and `<head>` of a page that is not there (`path` as asked for): 404, the route's
/// not-found title, not indexed.
fn not_found_head(route: &Route, path: &str, base: &str) -> (StatusCode, String) {
    let head = head::page(
        Some(&not_found_title(route)),
        &i18n::t("site.description"),
        path,
        base,
        false,
    );
    (StatusCode::NOT_FOUND, head)
}

/// The status and `<head>` of an app page: the article's metadata for an article, the route's
/// title and description elsewhere, 404 for what does not exist (`path` as asked for).
async fn page_head(
    state: &AppState,
    route: &Route,
    path: &str,
    base: &str,
) -> Result<(StatusCode, String), AppError> {
    let not_found = || not_found_head(route, path, base);
    if !route.names_valid_slug() {
        return Ok(not_found());
    }
    let page = |subject: Option<&str>| {
        let mut out = head::page(
            Some(&route.title(subject)),
            &route.description(subject),
            &route.path(),
            base,
            route.indexed(),
        );
        // The page's feeds, for feed readers (`broadsheet::feeds`).
        if let Some(scope) = broadsheet::feeds::for_route(route) {
            out.push_str(&head::feed_links(&scope, subject, base));
        }
        out
    };
    Ok(match route {
        Route::Home | Route::Saved | Route::Search { .. } => (StatusCode::OK, page(None)),
        Route::Article { slug } => match state.articles.get(slug).await? {
            Some(cached) => (StatusCode::OK, head::article(&cached.article, base)),
            None => not_found(),
        },
        Route::Embed { slug } => match state.articles.get(slug).await? {
            Some(cached) => (StatusCode::OK, head::embed(&cached.article, base)),
            None => not_found(),
        },
        Route::Section { slug } => {
            let sections = state.store.sections().await?;
            match sections.into_iter().find(|s| &s.slug == slug) {
                Some(s) => (StatusCode::OK, page(Some(&s.name))),
                None => not_found(),
            }
        }
        // Answered by `listing_page`.
        Route::Tag { .. } | Route::Author { .. } | Route::NotFound => not_found(),
    })
}

/// The query of a tag's or an author's page.
#[derive(serde::Deserialize)]
struct CursorQuery {
    cursor: Option<String>,
}

/// The fallback for everything outside `/api`.
pub async fn serve(State(state): State<AppState>, req: Request) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let path = req.uri().path().to_owned();
    if path == OPENSEARCH_PATH {
        return opensearch(&state, req.headers());
    }
    if let Some(filled) = filled_file(&state, &path).await {
        return filled;
    }
    if is_file_path(&path) {
        return serve_file(&state.dist, &path, req).await;
    }
    let Some(shell) = state.shell.as_ref() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "The app has not been built yet: run `make run`.\n",
        )
            .into_response();
    };
    let base = match base_url(&state, req.headers()) {
        Ok(base) => base,
        Err(e) => return e.into_response(),
    };
    // A page that reads its query (search) is its address with the query, as the route spells
    // it; a tag's or an author's list goes on by `?cursor=`; no other query changes a page.
    let full = req
        .uri()
        .path_and_query()
        .map_or(path.as_str(), |p| p.as_str());
    let route = Route::parse(full);
    let cursor = route
        .pages_by_cursor()
        .then(|| {
            axum::extract::Query::<CursorQuery>::try_from_uri(req.uri())
                .ok()
                .and_then(|q| q.0.cursor)
                .filter(|c| !c.is_empty())
        })
        .flatten();
    let front = route.is_front();
    let address = match route {
        route @ Route::Search { .. } => route.path(),
        _ => path,
    };
    // The page as its address and the public address make it (and the cursor of a list),
    // kept for a moment (`crate::ready`).
    let key = match &cursor {
        Some(c) => format!("{base}{address}?cursor={c}"),
        None => format!("{base}{address}"),
    };
    let kept = state
        .ready
        .page(key, async {
            let page = page(&state, &address, cursor.as_deref(), &base).await?;
            Ok::<_, AppError>(Kept {
                status: page.status,
                content_type: "text/html; charset=utf-8",
                body: shell
                    .render(&page.head, page.body.as_deref().unwrap_or(""), front)
                    .into(),
            })
        })
        .await;
    let kept = match kept {
        Ok(kept) => kept,
        Err(e) => return e.into_response(),
    };
    // Who may frame the page, and the rest of its policy: `security::headers`; how long caches
    // may keep it: `http::caching`.
    (
        kept.status,
        [(header::CONTENT_TYPE, kept.content_type)],
        kept.body,
    )
        .into_response()
}

/// The OpenSearch description: lets a browser add the site's search, with the site's public
/// address. Cached like a page (`http::caching`).
fn opensearch(state: &AppState, headers: &axum::http::HeaderMap) -> Response {
    let base = match base_url(state, headers) {
        Ok(base) => base,
        Err(e) => return e.into_response(),
    };
    let base = head::escape(&base);
    let name = head::escape(&i18n::t("site.name"));
    let description = head::escape(&i18n::t("search.opensearch"));
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
  <ShortName>{name}</ShortName>
  <Description>{description}</Description>
  <InputEncoding>UTF-8</InputEncoding>
  <Url type="text/html" method="get" template="{base}/search?q={{searchTerms}}"/>
  <Url type="application/opensearchdescription+xml" rel="self" template="{base}{OPENSEARCH_PATH}"/>
</OpenSearchDescription>
"#
    );
    (
        [(
            header::CONTENT_TYPE,
            "application/opensearchdescription+xml; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

/// Where the service worker names its shell's catalogue (`postbuild/sw.js`).
const CATALOGUE_MARK: &str = "__BROADSHEET_CATALOGUE__";

/// The built files that carry the interface's words, sent with the site's: the catalogue that
/// first screens name; `/index.html` (the installed app's offline shell) through the shell, with
/// the catalogue inline; the manifest's names and description; `embed.js`'s fallback frame
/// title; `sw.js`, its shell named by the catalogue. `None` for any other path (or when the file
/// is missing, for the plain 404).
async fn filled_file(state: &AppState, path: &str) -> Option<Response> {
    let (content_type, cache, body) = match path {
        // The catalogue that pages with a first screen name (`head::CatalogueFile`): named by
        // its content, so kept for good. Another digest is a plain 404.
        _ if path.starts_with("/messages-") => {
            let catalogue = state.shell.as_ref().as_ref()?.catalogue();
            if path != catalogue.path() {
                return None;
            }
            ("application/json", IMMUTABLE, catalogue.text.clone())
        }
        "/index.html" => {
            let shell = state.shell.as_ref().as_ref()?;
            let head = format!("<title>{}</title>", head::escape(&i18n::t("site.name")));
            (
                "text/html; charset=utf-8",
                NO_CACHE,
                shell.render(&head, "", false),
            )
        }
        "/manifest.webmanifest" => {
            let text = tokio::fs::read_to_string(state.dist.join("manifest.webmanifest"))
                .await
                .ok()?;
            let mut manifest: serde_json::Value = serde_json::from_str(&text).ok()?;
            let messages = &state.messages;
            manifest["name"] = i18n::t("site.name").into();
            manifest["short_name"] = i18n::t("site.name").into();
            manifest["description"] = i18n::t("manifest.description").into();
            manifest["lang"] = messages.lang().into();
            manifest["dir"] = messages.dir().into();
            if let Some(shortcuts) = manifest["shortcuts"].as_array_mut() {
                for shortcut in shortcuts.iter_mut().filter(|s| s["url"] == "/saved") {
                    shortcut["name"] = i18n::t("saved.title").into();
                    shortcut["short_name"] = i18n::t("nav.saved").into();
                }
            }
            ("application/manifest+json", SHORT, manifest.to_string())
        }
        "/sw.js" => {
            // Its shell cache is named by the catalogue's digest (`head::CatalogueFile`).
            let catalogue = state.shell.as_ref().as_ref()?.catalogue();
            let text = tokio::fs::read_to_string(state.dist.join("sw.js"))
                .await
                .ok()?;
            (
                "text/javascript; charset=utf-8",
                NO_CACHE,
                text.replace(CATALOGUE_MARK, &catalogue.digest),
            )
        }
        "/embed.js" => {
            let text = tokio::fs::read_to_string(state.dist.join("embed.js"))
                .await
                .ok()?;
            let title = serde_json::Value::from(i18n::t("embed.frame_title")).to_string();
            (
                "text/javascript; charset=utf-8",
                SHORT,
                text.replace("'Article on Broadsheet'", &title),
            )
        }
        _ => return None,
    };
    Some(
        (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, cache),
            ],
            body,
        )
            .into_response(),
    )
}

/// Whether a file must be fetched afresh on every use: the app's HTML and the service worker.
fn is_always_fresh(path: &str) -> bool {
    path.ends_with(".html") || path == "/sw.js"
}

async fn serve_file(dist: &Path, path: &str, mut req: Request) -> Response {
    let always_fresh = is_always_fresh(path);
    if always_fresh {
        // Revalidating by modification time (whole seconds) would answer 304 to a browser that
        // holds the previous deploy's worker when the new one was written in the same second:
        // these small files are always sent whole, and the browser compares the bytes itself.
        req.headers_mut().remove(header::IF_MODIFIED_SINCE);
        req.headers_mut().remove(header::IF_NONE_MATCH);
    }
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false);
    let mut response = match files.oneshot(req).await {
        Ok(r) => r.map(Body::new),
        Err(never) => match never {},
    };
    if response.status() == StatusCode::NOT_FOUND {
        // A missing asset is a plain 404, never the app's HTML: a browser must not run a page
        // as a script or stylesheet.
        return (
            StatusCode::NOT_FOUND,
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::CACHE_CONTROL, NO_CACHE),
            ],
            "Not found\n",
        )
            .into_response();
    }
    let cache = if is_hashed_asset(path) {
        IMMUTABLE
    } else if always_fresh {
        response.headers_mut().remove(header::LAST_MODIFIED);
        NO_CACHE
    } else {
        SHORT
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_paths_and_pages() {
        assert!(is_file_path("/broadsheet-0123456789abcdef_bg.wasm"));
        assert!(is_file_path("/media/harbour.svg"));
        assert!(!is_file_path("/"));
        assert!(!is_file_path("/article/harbour-cranes"));
    }

    #[test]
    fn hashed_assets() {
        assert!(is_hashed_asset("/broadsheet-0123456789abcdef_bg.wasm"));
        assert!(is_hashed_asset("/broadsheet-0123456789abcdef.js"));
        assert!(is_hashed_asset("/style-fedcba9876543210.css"));
        // A hash whose leading digit was zero is written one digit shorter.
        assert!(is_hashed_asset("/broadsheet-a96c9196c724835.js"));
        assert!(!is_hashed_asset("/media/harbour.svg"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/favicon-x.svg"));
    }
}
