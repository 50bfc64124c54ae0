//! Fetching a document over HTTP(S): with a timeout for the whole exchange, at most
//! [`MAX_BYTES`] of body, and the validators of the last good copy (`If-None-Match`,
//! `If-Modified-Since`) so an unchanged feed costs a 304.

use std::time::Duration;

use super::document::MAX_BYTES;
pub use super::error::FetchError;

/// How long a fetch may take, body included, unless told otherwise.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// The validators of a copy we have.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

#[derive(Debug)]
pub enum Fetched {
    /// 200: the document, and its validators for next time.
    Body(Vec<u8>, Validators),
    /// 304: what we have is still current.
    NotModified,
}

/// Fetches `url` (blocking: call it from `spawn_blocking`).
pub fn get(url: &str, timeout: Duration, have: &Validators) -> Result<Fetched, FetchError> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err(FetchError::Scheme(url.to_owned()));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent(concat!("Broadsheet-import/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut request = agent.get(url).header(
        "Accept",
        "application/rss+xml, application/atom+xml, application/feed+json, application/json, \
         application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1",
    );
    if let Some(etag) = &have.etag {
        request = request.header("If-None-Match", etag);
    }
    if let Some(modified) = &have.last_modified {
        request = request.header("If-Modified-Since", modified);
    }
    let mut response = request.call()?;
    let status = response.status().as_u16();
    if status == 304 {
        return Ok(Fetched::NotModified);
    }
    if status != 200 {
        return Err(FetchError::Status(status));
    }
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let validators = Validators {
        etag: header("etag"),
        last_modified: header("last-modified"),
    };
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_BYTES as u64)
        .read_to_vec()
        .map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge(MAX_BYTES),
            other => FetchError::Http(other),
        })?;
    Ok(Fetched::Body(body, validators))
}
