//! The site's own address, and the one rule about a request's `Host`: it is written into a page
//! (canonical link, `og:url`, the oEmbed iframe) only when it names this site.
//!
//! Behind a shared cache a reflected `Host` is a poisoning hole: one request with
//! `Host: evil.example` would put links to evil.example into the copy every reader gets. So the
//! address comes from `--public-url` when there is one (the request's `Host`, `X-Forwarded-Host`
//! and `Forwarded` are then never read), and otherwise from the request's `Host` only when it is
//! one of `--allowed-hosts` (by default the loopback names, so `make run` works as it is). Any
//! other host is answered "421 Misdirected Request", never stored by a cache.

use std::borrow::Cow;

use axum::http::{HeaderMap, header};

/// The names a server without `--public-url` answers to when no `--allowed-hosts` are given.
pub const DEFAULT_HOSTS: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

/// Where the site is, as the pages name it.
#[derive(Clone, Debug)]
pub enum Site {
    /// `--public-url`: every page names this address, whatever the request said.
    Public(String),
    /// These host names (any port), lower case: a request sent to one of them is answered with
    /// links to it.
    Hosts(Vec<String>),
}

impl Default for Site {
    fn default() -> Self {
        Site::new(None, Vec::new())
    }
}

impl Site {
    /// The public address if given (without a trailing `/`); otherwise the allowed host names,
    /// [`DEFAULT_HOSTS`] when none are given.
    pub fn new(public_url: Option<String>, allowed_hosts: Vec<String>) -> Site {
        match public_url {
            Some(url) => Site::Public(url.trim_end_matches('/').to_owned()),
            None if allowed_hosts.is_empty() => {
                Site::Hosts(DEFAULT_HOSTS.iter().map(|h| (*h).to_owned()).collect())
            }
            None => Site::Hosts(
                allowed_hosts
                    .into_iter()
                    .map(|h| h.trim().to_ascii_lowercase())
                    .collect(),
            ),
        }
    }

    /// `--public-url`, if given.
    pub fn public_url(&self) -> Option<&str> {
        match self {
            Site::Public(url) => Some(url),
            Site::Hosts(_) => None,
        }
    }

    /// The address links in the answer to a request with these headers start with, e.g.
    /// `https://news.example`; `None` when the request names a host this site is not. A request
    /// without `Host` (HTTP/1.0) is answered as `localhost`.
    pub fn base(&self, headers: &HeaderMap) -> Option<Cow<'_, str>> {
        let hosts = match self {
            Site::Public(url) => return Some(Cow::Borrowed(url)),
            Site::Hosts(hosts) => hosts,
        };
        let Some(host) = headers.get(header::HOST) else {
            return Some(Cow::Borrowed("http://localhost"));
        };
        let host = host.to_str().ok()?.to_ascii_lowercase();
        let name = host_name(&host)?;
        hosts
            .iter()
            .any(|allowed| *allowed == name)
            .then(|| Cow::Owned(format!("http://{host}")))
    }
}

/// The name part of a `Host` value (`news.example:8080` → `news.example`, `[::1]:80` → `[::1]`),
/// or `None` when it is not a host name, an IPv4 address or a bracketed IPv6 address with an
/// optional port.
fn host_name(host: &str) -> Option<&str> {
    let (name, port) = if host.starts_with('[') {
        let end = host.find(']')?;
        let rest = &host[end + 1..];
        let port = if rest.is_empty() {
            None
        } else {
            Some(rest.strip_prefix(':')?)
        };
        (&host[..=end], port)
    } else {
        match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    let name_ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.[]:".contains(&b));
    (port_ok && name_ok).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_host(host: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_str(host).expect("header"));
        headers
    }

    #[test]
    fn the_public_url_wins_over_every_header() {
        let site = Site::new(Some("https://news.example/".into()), Vec::new());
        let mut headers = with_host("evil.example");
        headers.insert("x-forwarded-host", HeaderValue::from_static("evil.example"));
        headers.insert("forwarded", HeaderValue::from_static("host=evil.example"));
        assert_eq!(site.base(&headers).as_deref(), Some("https://news.example"));
    }

    #[test]
    fn only_allowed_hosts_are_reflected() {
        let site = Site::default();
        assert_eq!(
            site.base(&with_host("127.0.0.1:8080")).as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(
            site.base(&with_host("LOCALHOST")).as_deref(),
            Some("http://localhost")
        );
        assert_eq!(
            site.base(&with_host("[::1]:9")).as_deref(),
            Some("http://[::1]:9")
        );
        assert_eq!(
            site.base(&HeaderMap::new()).as_deref(),
            Some("http://localhost")
        );
        for foreign in [
            "evil.example",
            "localhost.evil.example",
            "localhost:80@evil.example",
            "localhost:x",
            "localhost:8080/x",
            "",
        ] {
            assert_eq!(site.base(&with_host(foreign)), None, "{foreign}");
        }
        let site = Site::new(None, vec!["News.Example".into()]);
        assert_eq!(
            site.base(&with_host("news.example:443")).as_deref(),
            Some("http://news.example:443")
        );
        assert_eq!(site.base(&with_host("localhost")), None);
    }
}
