//! Serving the built app: files from `dist/`, and `index.html` for the app's own routes.

use std::path::Path;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeDir;

use crate::AppState;
use crate::db;

const NO_CACHE: &str = "no-cache";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const SHORT: &str = "public, max-age=3600";

/// Whether the last path segment names a file (`/x/app-1a2b.wasm`) rather than an app page.
fn is_file_path(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|name| name.contains('.'))
}

/// Trunk names built assets `name-<16 hex digits>.ext`: those never change, so cache them forever.
fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let stem = name.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether `path` is a page the app renders, so it is answered with 200 rather than 404.
async fn is_known_page(state: &AppState, path: &str) -> Result<bool, crate::error::AppError> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        [""] => Ok(true),
        ["article", slug] => {
            let slug = (*slug).to_owned();
            state.db.run(move |c| db::article_exists(c, &slug)).await
        }
        ["section", slug] => {
            let slug = (*slug).to_owned();
            state.db.run(move |c| db::section_exists(c, &slug)).await
        }
        _ => Ok(false),
    }
}

/// The fallback for everything outside `/api`.
pub async fn serve(State(state): State<AppState>, req: Request) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let path = req.uri().path().to_owned();
    if is_file_path(&path) {
        return serve_file(&state.dist, &path, req).await;
    }
    let status = match is_known_page(&state, &path).await {
        Ok(true) => StatusCode::OK,
        Ok(false) => StatusCode::NOT_FOUND,
        Err(e) => return e.into_response(),
    };
    match state.index_html.as_deref() {
        Some(html) => (
            status,
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, NO_CACHE),
            ],
            html.to_owned(),
        )
            .into_response(),
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "The app has not been built yet: run `make run`.\n",
        )
            .into_response(),
    }
}

async fn serve_file(dist: &Path, path: &str, req: Request) -> Response {
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
    } else if path.ends_with(".html") || path.ends_with("sw.js") {
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
        assert!(!is_hashed_asset("/media/harbour.svg"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/favicon-x.svg"));
    }
}
