//! Who a request comes from: the peer's address, or, when the peer is a proxy we were told to
//! trust (`--trusted-proxy`, e.g. the cache in front), the address that proxy says it served.
//!
//! Behind a cache every request arrives from the cache's address, so without this the comment
//! limit and the view counter would take all readers for one. Only a trusted peer's
//! `X-Forwarded-For` is read, and only from its right end: each proxy appends the address it
//! saw, so the right-most entry that is not itself a trusted proxy is the reader; anything to its
//! left was written by the client and proves nothing.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRef, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;

use crate::http::error::AppError;

/// The proxies whose `X-Forwarded-For` is believed.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(pub Arc<[IpNet]>);

impl TrustedProxies {
    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client behind `peer` (see the module's documentation).
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let mut client = peer;
        let hops = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect::<Vec<_>>();
        for hop in hops.iter().rev() {
            let Ok(ip) = hop.trim().parse::<IpAddr>() else {
                // Garbage where an address should be: stop at the last address we could trust.
                break;
            };
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        client
    }
}

/// The reader's address, as [`TrustedProxies::client`] finds it.
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub IpAddr);

impl<S> FromRequestParts<S> for ClientIp
where
    S: Send + Sync,
    TrustedProxies: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ConnectInfo(peer) = ConnectInfo::<SocketAddr>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::BadRequest("no peer address".into()))?;
        let peer = peer.ip();
        let proxies = TrustedProxies::from_ref(state);
        Ok(ClientIp(proxies.client(peer, &parts.headers)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("address")
    }

    fn forwarded(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_str(value).expect("value"),
        );
        h
    }

    #[test]
    fn only_a_trusted_peer_is_believed_and_only_from_the_right() {
        let proxies = TrustedProxies(vec!["127.0.0.1/32".parse().expect("net")].into());
        let cache = ip("127.0.0.1");
        // Not a proxy of ours: its header is ignored.
        assert_eq!(
            proxies.client(ip("203.0.113.9"), &forwarded("198.51.100.1")),
            ip("203.0.113.9")
        );
        // The cache appended the reader's address; what the reader wrote to its left is ignored.
        assert_eq!(
            proxies.client(cache, &forwarded("6.6.6.6, 198.51.100.7")),
            ip("198.51.100.7")
        );
        // No header, or garbage: the peer itself.
        assert_eq!(proxies.client(cache, &HeaderMap::new()), cache);
        assert_eq!(proxies.client(cache, &forwarded("not-an-ip")), cache);
        // Two trusted hops: the first untrusted address from the right.
        assert_eq!(
            proxies.client(cache, &forwarded("198.51.100.7, 127.0.0.1")),
            ip("198.51.100.7")
        );
        // Nobody trusted: the peer.
        assert_eq!(
            TrustedProxies::default().client(cache, &forwarded("198.51.100.7")),
            cache
        );
    }
}
