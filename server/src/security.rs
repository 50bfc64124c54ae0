//! The headers every response carries: a strict Content-Security-Policy, and the rest of what a
//! browser needs to be told (no sniffing, referrers, permissions, HSTS over HTTPS).
//!
//! The policy allows scripts and styles only from our own origin, plus the inline scripts and the
//! inline style sheet of the built `index.html` by their SHA-256 hashes (computed when the server
//! starts, so any build works), and WebAssembly compilation (`'wasm-unsafe-eval'`). No
//! `unsafe-inline`, no `unsafe-eval`.

use axum::extract::{Request, State};
use std::sync::Arc;

use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use broadsheet::route::Route;
use sha2::{Digest, Sha256};

/// Features no page of ours uses are turned off; copying links stays on.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), clipboard-write=(self)";
pub const REFERRER_POLICY: &str = "strict-origin-when-cross-origin";
pub const HSTS: &str = "max-age=63072000; includeSubDomains";

/// The `frame-ancestors` value for embed pages: the configured partner origins, or any site.
pub fn embed_frame_ancestors(partners: &[String]) -> String {
    if partners.is_empty() {
        "frame-ancestors *".to_owned()
    } else {
        format!("frame-ancestors {}", partners.join(" "))
    }
}

/// Every page that is not an embed page may not be framed at all.
pub const NO_FRAMING: &str = "frame-ancestors 'none'";

/// Each `<name …>…</name>` element of `html`: its opening tag and its text.
fn elements<'a>(html: &'a str, name: &str) -> Vec<(&'a str, &'a str)> {
    let (open, close) = (format!("<{name}"), format!("</{name}>"));
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        rest = &rest[start..];
        let Some(open_end) = rest.find('>') else {
            break;
        };
        let Some(end) = rest.find(&close) else {
            break;
        };
        found.push((&rest[..open_end], &rest[open_end + 1..end]));
        rest = &rest[end + close.len()..];
    }
    found
}

/// `'sha256-…'`, the CSP source that allows exactly this inline text.
pub fn hash_source(text: &str) -> String {
    format!(
        "'sha256-{}'",
        STANDARD.encode(Sha256::digest(text.as_bytes()))
    )
}

/// The inline scripts a page may run: `'sha256-…'` sources for each executable inline
/// `<script>` in `html` (JSON data blocks such as JSON-LD are not run, so not listed).
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    elements(html, "script")
        .into_iter()
        .filter(|(tag, _)| {
            let external = tag.contains("src=");
            let data_block = tag.contains("json") && !tag.contains("importmap");
            !external && !data_block
        })
        .map(|(_, body)| hash_source(body))
        .collect()
}

/// The inline style sheets a page may apply: `'sha256-…'` sources for each `<style>` in `html`
/// (the build step puts all of the page's CSS into one, `postbuild/src/styles.rs`).
pub fn inline_style_hashes(html: &str) -> Vec<String> {
    elements(html, "style")
        .into_iter()
        .map(|(_, body)| hash_source(body))
        .collect()
}

/// The Content-Security-Policy for a response, with `frame-ancestors` as the embed rules say.
/// Images may also be `data:` URLs: until the first paint the page's icon is `data:,`, which costs
/// no request (`index.html` says why), and a front's lead picture may come inside the page
/// (`crate::pictures`, only the site's own files); an image cannot run anything.
pub fn policy(hashes: &InlineHashes, frame_ancestors: &str) -> String {
    let mut scripts = String::from("'self' 'wasm-unsafe-eval'");
    for hash in &hashes.scripts {
        scripts.push(' ');
        scripts.push_str(hash);
    }
    let mut styles = String::from("'self'");
    for hash in &hashes.styles {
        styles.push(' ');
        styles.push_str(hash);
    }
    format!(
        "default-src 'self'; script-src {scripts}; style-src {styles}; img-src 'self' https: data:; \
         font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; \
         frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         {frame_ancestors}"
    )
}

/// The hashes of the built page's inline scripts and style sheets, which the policy allows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InlineHashes {
    pub scripts: Vec<String>,
    pub styles: Vec<String>,
}

impl InlineHashes {
    /// The hashes of what `html` (the built `index.html`) holds inline.
    pub fn of(html: &str) -> InlineHashes {
        InlineHashes {
            scripts: inline_script_hashes(html),
            styles: inline_style_hashes(html),
        }
    }
}

/// The two policies, built once when the server starts.
#[derive(Debug)]
pub struct Policies {
    pub hashes: InlineHashes,
    embed: Option<HeaderValue>,
    page: HeaderValue,
}

impl Policies {
    pub fn new(hashes: InlineHashes, embed_partners: &[String]) -> Policies {
        let embed =
            HeaderValue::from_str(&policy(&hashes, &embed_frame_ancestors(embed_partners))).ok();
        let page = HeaderValue::from_str(&policy(&hashes, NO_FRAMING))
            .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"));
        Policies {
            hashes,
            embed,
            page,
        }
    }
}

/// What [`headers`] needs: the policies, and whether the public address is HTTPS.
#[derive(Clone, Debug)]
pub struct Settings {
    pub policies: Arc<Policies>,
    /// `--public-url https://…`.
    pub https_public_url: bool,
}

impl Settings {
    pub fn new(policies: Arc<Policies>, public_url: Option<&str>) -> Settings {
        Settings {
            policies,
            https_public_url: public_url.is_some_and(|u| u.starts_with("https://")),
        }
    }
}

/// Whether the site is reached over HTTPS: `--public-url https://…`, or a proxy in front that
/// says so.
fn over_https(state: &Settings, headers: &HeaderMap) -> bool {
    state.https_public_url
        || headers
            .get("x-forwarded-proto")
            .is_some_and(|p| p.as_bytes().eq_ignore_ascii_case(b"https"))
}

/// Adds the security headers to every response that does not set its own.
pub async fn headers(State(state): State<Settings>, req: Request, next: Next) -> Response {
    let embed_page = Route::is_embed_path(req.uri().path());
    let https = over_https(&state, req.headers());
    let mut response = next.run(req).await;
    let csp = if embed_page {
        state.policies.embed.clone()
    } else {
        Some(state.policies.page.clone())
    };
    let headers = response.headers_mut();
    // An embed policy that is not a valid header (a partner origin cannot make one) falls back
    // to the strictest: no framing at all.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        csp.unwrap_or_else(|| state.policies.page.clone()),
    );
    if !embed_page {
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static(REFERRER_POLICY),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static(PERMISSIONS_POLICY),
    );
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(s: &str) -> String {
        format!("'sha256-{}'", STANDARD.encode(Sha256::digest(s.as_bytes())))
    }

    #[test]
    fn hashes_the_inline_scripts_that_run() {
        let html = r#"<title>x</title><script type=importmap>{"integrity":{}}</script><script type=module>import init from"/a.js";</script><script type="application/ld+json">{"a":1}</script><script src="/b.js"></script><script>alert(1)</script>"#;
        assert_eq!(
            inline_script_hashes(html),
            vec![
                hash(r#"{"integrity":{}}"#),
                hash(r#"import init from"/a.js";"#),
                hash("alert(1)"),
            ]
        );
        assert!(inline_script_hashes("<p>no scripts</p>").is_empty());
    }

    #[test]
    fn hashes_the_inline_style_sheets() {
        let html = "<title>x</title><style id=broadsheet-style>:root{--x:1}</style><p>text</p>";
        assert_eq!(inline_style_hashes(html), vec![hash(":root{--x:1}")]);
        assert!(inline_style_hashes("<p>no styles</p>").is_empty());
        assert_eq!(
            InlineHashes::of("<script>go()</script><style>p{}</style>"),
            InlineHashes {
                scripts: vec![hash("go()")],
                styles: vec![hash("p{}")],
            }
        );
    }

    #[test]
    fn the_policy_never_allows_inline_or_eval() {
        let hashes = InlineHashes {
            scripts: vec!["'sha256-abc'".to_owned()],
            styles: vec!["'sha256-def'".to_owned()],
        };
        let p = policy(&hashes, "frame-ancestors 'none'");
        assert!(p.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc';"));
        assert!(p.contains("style-src 'self' 'sha256-def';"));
        for directive in [
            "default-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(p.contains(directive), "{directive}");
        }
        assert!(!p.contains("unsafe-inline"));
        assert!(!p.contains("'unsafe-eval'"));
    }
}
