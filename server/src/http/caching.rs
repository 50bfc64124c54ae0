//! What a shared cache in front (Varnish, a CDN) and the browser may keep, for how long, and
//! under which names — one middleware for every response (see the README's "Caching").
//!
//! - Pages (article, home, section, embed, the oEmbed answer) and API reads answer 200 with
//!   `Cache-Control: public`, a short `max-age` for browsers, a longer `s-maxage` for shared
//!   caches, `stale-while-revalidate` and `stale-if-error`. Comment lists get `max-age=0` and a
//!   shorter `s-maxage`: a reader who just posted revalidates at once.
//! - Everything else is `no-store`: errors, 429s, 421s, POSTs. Built files keep what `web` gave
//!   them (hashed assets immutable, `sw.js` and `index.html` always fetched afresh).
//! - Each cacheable answer has a strong `ETag`: a 128-bit hash of its bytes, with the encoding
//!   appended (`"…-br"`, `"…-gz"`), since a strong tag names one exact representation; and
//!   `Vary: Accept-Encoding`. A matching `If-None-Match` gets 304 with no body, decided before
//!   anything is compressed.
//! - Compressed bodies are made here, once per version and encoding (kept by hash), not per
//!   request: under load a page is compressed about once per second instead of thousands of times.
//! - `Surrogate-Key` (Varnish xkey, Fastly) and `Cache-Tag` (Cloudflare) name what an answer
//!   shows, so that a change purges exactly those answers (`crate::purge`).

use std::fmt::Write as _;
use std::io::Write as _;
use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use broadsheet::route::Route;
use bytes::Bytes;

use crate::purge::keys;

/// The largest answer this layer reads whole: the sitemap protocol's own limit (an article
/// sitemap of 50,000 URLs is 6 to 12 MB; pages and API answers are far smaller).
const MAX_BODY: usize = 50 * 1024 * 1024;
/// Bytes of compressed bodies kept.
const COMPRESSED_BYTES: u64 = 64 * 1024 * 1024;
/// Brotli's quality for answers: compressed once per version, so more than on-the-fly settings
/// (a 30 KB page takes about 2 ms at 9).
const BROTLI_QUALITY: u32 = 9;
/// Answers larger than this (sitemaps) are compressed at [`BROTLI_QUALITY_LARGE`]: quality 9
/// would hold a request for a sitemap of 50,000 URLs for most of a second.
const LARGE_BODY: usize = 1024 * 1024;
const BROTLI_QUALITY_LARGE: u32 = 5;

/// How long answers may be kept, in seconds (`--max-age`, `--s-maxage`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lifetimes {
    /// Browsers: pages and API reads.
    pub max_age: u32,
    /// Shared caches: pages and API reads.
    pub s_maxage: u32,
    /// Shared caches: comment lists (at most `s_maxage`).
    pub comments_s_maxage: u32,
    /// How long a stale copy may be served while a fresh one is fetched.
    pub stale_while_revalidate: u32,
    /// How long a stale copy may be served while the origin fails.
    pub stale_if_error: u32,
}

impl Default for Lifetimes {
    fn default() -> Self {
        Lifetimes {
            max_age: 5,
            s_maxage: 60,
            comments_s_maxage: 10,
            stale_while_revalidate: 30,
            stale_if_error: 86_400,
        }
    }
}

impl Lifetimes {
    fn header(&self, kind: Kind) -> HeaderValue {
        let (max_age, s_maxage) = match kind {
            Kind::Comments => (0, self.comments_s_maxage.min(self.s_maxage)),
            Kind::Page | Kind::Api => (self.max_age, self.s_maxage),
        };
        let value = format!(
            "public, max-age={max_age}, s-maxage={s_maxage}, stale-while-revalidate={}, stale-if-error={}",
            self.stale_while_revalidate, self.stale_if_error
        );
        HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("no-store"))
    }
}

/// What the middleware keeps between requests.
#[derive(Clone)]
pub struct Caching {
    lifetimes: Lifetimes,
    /// Compressed bodies by (hash of the plain body, encoding).
    compressed: moka::sync::Cache<(u128, Encoding), Bytes>,
}

impl Caching {
    pub fn new(lifetimes: Lifetimes) -> Caching {
        Caching {
            lifetimes,
            compressed: moka::sync::Cache::builder()
                .weigher(|_, body: &Bytes| u32::try_from(body.len()).unwrap_or(u32::MAX))
                .max_capacity(COMPRESSED_BYTES)
                .time_to_idle(Duration::from_secs(600))
                .build(),
        }
    }
}

/// The kinds of answer a shared cache may keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Page,
    Api,
    Comments,
}

/// A request's kind and surrogate keys, from its method and path; `None` for what is not kept
/// by this layer's rules (files, writes).
fn classify(method: &Method, path: &str) -> Option<(Kind, Vec<String>)> {
    if method != Method::GET && method != Method::HEAD {
        return None;
    }
    if let Some(api) = path.strip_prefix("/api/") {
        let parts: Vec<&str> = api.split('/').collect();
        let found = match parts.as_slice() {
            ["articles", slug, "comments"] => (Kind::Comments, vec![keys::comments(slug)]),
            ["articles", slug] => (Kind::Api, vec![keys::article(slug), keys::comments(slug)]),
            ["front"] => (Kind::Api, vec![keys::FRONT.into(), keys::LISTS.into()]),
            ["modules"] => (Kind::Api, vec![keys::MODULES.into(), keys::LISTS.into()]),
            ["articles"] | ["sections"] | ["search"] | ["tags", _] | ["authors", _] => {
                (Kind::Api, vec![keys::LISTS.into()])
            }
            _ => (Kind::Api, vec![keys::API.into()]),
        };
        return Some(found);
    }
    if path == "/oembed" {
        return Some((Kind::Page, vec![keys::LISTS.into()]));
    }
    if let Some(keys) = syndication_keys(path) {
        return Some((Kind::Page, keys));
    }
    // Made by the server with the public address, not a built file.
    if path == crate::head::OPENSEARCH_PATH {
        return Some((Kind::Page, vec![keys::SHELL.into()]));
    }
    if path
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
    {
        // A built file: `web::serve_file` says how long it keeps.
        return None;
    }
    let keys = match Route::parse(path) {
        Route::Home => vec![keys::FRONT.into(), keys::LISTS.into()],
        Route::Section { slug } => vec![keys::section(&slug), keys::LISTS.into()],
        Route::Article { slug } => vec![
            keys::article(&slug),
            keys::comments(&slug),
            keys::LISTS.into(),
        ],
        Route::Embed { slug } => vec![keys::article(&slug), keys::comments(&slug)],
        // Any import may add to or take from a tag's or an author's list.
        Route::Tag { .. } | Route::Author { .. } => vec![keys::LISTS.into()],
        Route::Saved => vec![keys::SHELL.into()],
        Route::Search { .. } => vec![keys::LISTS.into()],
        Route::NotFound => Vec::new(),
    };
    Some((Kind::Page, keys))
}

/// Feeds, sitemaps and `robots.txt` (`crate::syndication`'s addresses): cached like pages, and
/// purged by every import (`lists`), although their last segment looks like a file's.
fn syndication_keys(path: &str) -> Option<Vec<String>> {
    if path == "/robots.txt" {
        return Some(vec![keys::SHELL.into()]);
    }
    if path == "/sitemap.xml"
        || path
            .strip_prefix("/sitemaps/")
            .is_some_and(|f| f.ends_with(".xml") && !f.contains('/'))
    {
        return Some(vec![keys::LISTS.into()]);
    }
    Some(match broadsheet::feeds::parse(path)?.0 {
        broadsheet::feeds::Scope::Home => vec![keys::FRONT.into(), keys::LISTS.into()],
        broadsheet::feeds::Scope::Section(slug) => {
            vec![keys::section(&slug), keys::LISTS.into()]
        }
        broadsheet::feeds::Scope::Tag(_) => vec![keys::LISTS.into()],
    })
}

/// A body encoding a client accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    fn tag_suffix(self) -> &'static str {
        match self {
            Encoding::Identity => "",
            Encoding::Gzip => "-gz",
            Encoding::Brotli => "-br",
        }
    }

    fn header(self) -> Option<HeaderValue> {
        match self {
            Encoding::Identity => None,
            Encoding::Gzip => Some(HeaderValue::from_static("gzip")),
            Encoding::Brotli => Some(HeaderValue::from_static("br")),
        }
    }

    /// The best encoding `Accept-Encoding` allows: brotli, then gzip, then none. A coding with
    /// `q=0` is refused; `*` stands for any coding not named.
    fn negotiate(headers: &HeaderMap) -> Encoding {
        let mut brotli = None;
        let mut gzip = None;
        let mut any = None;
        for item in headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
        {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let accepted = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .all(|q| q.trim().parse::<f32>().is_ok_and(|q| q > 0.0));
            match coding.as_str() {
                "br" => brotli = Some(accepted),
                "gzip" | "x-gzip" => gzip = Some(accepted),
                "*" => any = Some(accepted),
                _ => {}
            }
        }
        if brotli.or(any) == Some(true) {
            Encoding::Brotli
        } else if gzip.or(any) == Some(true) {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }

    fn encode(self, body: &[u8]) -> std::io::Result<Vec<u8>> {
        match self {
            Encoding::Identity => Ok(body.to_vec()),
            Encoding::Gzip => {
                let mut out =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                out.write_all(body)?;
                out.finish()
            }
            Encoding::Brotli => {
                let mut out = Vec::new();
                let quality = if body.len() > LARGE_BODY {
                    BROTLI_QUALITY_LARGE
                } else {
                    BROTLI_QUALITY
                };
                let params = brotli::enc::BrotliEncoderParams {
                    quality: quality as i32,
                    ..Default::default()
                };
                brotli::BrotliCompress(&mut &body[..], &mut out, &params)?;
                Ok(out)
            }
        }
    }
}

/// Whether `If-None-Match` (its values) names `etag` (weak comparison, as RFC 9110 has it for
/// GET).
fn none_match(if_none_match: &[HeaderValue], etag: &str) -> bool {
    if_none_match
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim())
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag)
}

fn no_store(headers: &mut HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// The middleware (see the module's documentation).
pub async fn cache_headers(State(caching): State<Caching>, req: Request, next: Next) -> Response {
    let kind = classify(req.method(), req.uri().path());
    let encoding = Encoding::negotiate(req.headers());
    let if_none_match: Vec<HeaderValue> = req
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .cloned()
        .collect();
    let mut response = next.run(req).await;
    let status = response.status();
    let classified = kind.is_some();
    let Some((kind, keys)) = kind.filter(|_| status == StatusCode::OK) else {
        if status.is_client_error() || status.is_server_error() || classified {
            // Errors, refusals and anything that answers a write: never kept for another.
            no_store(response.headers_mut());
        } else if !response.headers().contains_key(header::CACHE_CONTROL) {
            no_store(response.headers_mut());
        }
        return response;
    };
    if response.headers().contains_key(header::CONTENT_ENCODING) {
        // Already encoded by someone else: not ours to tag.
        no_store(response.headers_mut());
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let body = match to_bytes(body, MAX_BODY).await {
        Ok(body) => body,
        Err(e) => {
            tracing::error!(error = %e, "could not read an answer to tag it");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let hash = xxhash_rust::xxh3::xxh3_128(&body);
    // Small bodies are encoded too: the compression layer outside would encode them anyway,
    // and a strong tag must name the bytes actually sent.
    let mut etag = String::with_capacity(40);
    let _ = write!(etag, "\"{hash:032x}{}\"", encoding.tag_suffix());
    let headers = &mut parts.headers;
    headers.insert(header::CACHE_CONTROL, caching.lifetimes.header(kind));
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    if !keys.is_empty() {
        if let Ok(value) = HeaderValue::from_str(&keys.join(" ")) {
            headers.insert("surrogate-key", value);
        }
        if let Ok(value) = HeaderValue::from_str(&keys.join(",")) {
            headers.insert("cache-tag", value);
        }
    }
    headers.remove(header::CONTENT_LENGTH);
    if none_match(&if_none_match, &etag) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_TYPE);
        return Response::from_parts(parts, Body::empty());
    }
    let body = if encoding == Encoding::Identity {
        body
    } else {
        let made = caching
            .compressed
            .try_get_with((hash, encoding), || encoding.encode(&body).map(Bytes::from));
        match made {
            Ok(compressed) => {
                if let Some(value) = encoding.header() {
                    parts.headers.insert(header::CONTENT_ENCODING, value);
                }
                compressed
            }
            Err(e) => {
                tracing::error!(error = %e, "could not compress an answer");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        }
    };
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).expect("value"),
        );
        h
    }

    #[test]
    fn encodings_follow_accept_encoding() {
        assert_eq!(Encoding::negotiate(&HeaderMap::new()), Encoding::Identity);
        assert_eq!(
            Encoding::negotiate(&accept("gzip, deflate, br, zstd")),
            Encoding::Brotli
        );
        assert_eq!(Encoding::negotiate(&accept("gzip")), Encoding::Gzip);
        assert_eq!(Encoding::negotiate(&accept("br;q=0, gzip")), Encoding::Gzip);
        assert_eq!(Encoding::negotiate(&accept("*")), Encoding::Brotli);
        assert_eq!(
            Encoding::negotiate(&accept("*;q=0, identity")),
            Encoding::Identity
        );
        assert_eq!(Encoding::negotiate(&accept("identity")), Encoding::Identity);
    }

    #[test]
    fn if_none_match_compares_weakly() {
        let h = [HeaderValue::from_static("\"a\", W/\"b-br\"")];
        assert!(none_match(&h, "\"a\""));
        assert!(none_match(&h, "\"b-br\""));
        assert!(!none_match(&h, "\"b\""));
        assert!(!none_match(&[], "\"a\""));
    }

    #[test]
    fn kinds_and_keys_by_path() {
        let get = Method::GET;
        assert_eq!(
            classify(&get, "/api/articles/harbour/comments"),
            Some((Kind::Comments, vec!["comments:harbour".into()]))
        );
        assert_eq!(
            classify(&get, "/article/harbour"),
            Some((
                Kind::Page,
                vec![
                    "article:harbour".into(),
                    "comments:harbour".into(),
                    "lists".into()
                ]
            ))
        );
        assert_eq!(
            classify(&Method::POST, "/api/articles/harbour/comments"),
            None
        );
        assert_eq!(classify(&get, "/broadsheet-0123456789abcdef.js"), None);
        // Feeds and sitemaps look like files, but are pages that imports change.
        assert_eq!(
            classify(&get, "/section/world/feed.xml"),
            Some((Kind::Page, vec!["section:world".into(), "lists".into()]))
        );
        for path in [
            "/feed.json",
            "/tag/a%20b/atom.xml",
            "/sitemap.xml",
            "/sitemaps/news.xml",
        ] {
            assert!(
                classify(&get, path).is_some_and(|(_, keys)| keys.contains(&"lists".into())),
                "{path}"
            );
        }
        assert!(classify(&get, "/robots.txt").is_some());
    }

    #[test]
    fn lifetimes_in_the_header() {
        let l = Lifetimes::default();
        assert_eq!(
            l.header(Kind::Page),
            "public, max-age=5, s-maxage=60, stale-while-revalidate=30, stale-if-error=86400"
        );
        assert_eq!(
            l.header(Kind::Comments),
            "public, max-age=0, s-maxage=10, stale-while-revalidate=30, stale-if-error=86400"
        );
    }
}
