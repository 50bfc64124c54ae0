//! Page views, counted honestly and written cheaply.
//!
//! **What counts.** The app sends one beacon (`POST /api/articles/{slug}/views`) per article
//! page it shows. A beacon counts unless:
//! - its `User-Agent` is missing or is a known robot's (crawlers, link previews, scripts such as
//!   curl, and headless browsers' defaults such as `HeadlessChrome`: the kept `isbot` list);
//! - it says it is a prefetch or prerender (`Sec-Purpose`, `Purpose`, `X-Moz`);
//! - it comes from another site's page (`Sec-Fetch-Site` other than `same-origin`): a page
//!   elsewhere cannot make its visitors count views;
//! - the same client already counted for the same article in the last [`WINDOW`] (one hour);
//! - the client is over its allowance: bursts of [`BURST`], then one every two seconds; and one
//!   address (an IPv6 address by its /64) over [`PER_ADDRESS`] a minute, whatever browsers it
//!   names, so changing `User-Agent` or `Accept-Language` on every beacon buys nothing.
//!
//! Whatever the verdict the answer is the same 204: a script learns nothing by trying.
//!
//! **Who a client is.** The server sets no cookies. A client is its address, `User-Agent` and
//! `Accept-Language`, hashed (SHA-256) with a random salt that lives in memory only and is
//! replaced at midnight UTC, when the clients seen are forgotten too. No address is stored
//! anywhere; a hash cannot be tied back to an address once its day's salt is gone. The cost: a
//! reader who changes network or browser within the hour counts again, and readers behind one
//! address with one browser build and language count as one.
//!
//! **How it is written.** Counted views collect in memory per article and hour, and are written
//! every [`BATCH`] in one transaction (`Store::record_views`): per-hour counters for the
//! rankings, and the article's total. A server killed outright loses at most the last
//! [`BATCH`] of counted views; a graceful stop writes them first (`flush`).

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, header};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use sha2::{Digest, Sha256};

use crate::store::{HourlyViews, Store, StoreError};

/// One view per client and article in this long.
pub const WINDOW: Duration = Duration::from_secs(3_600);
/// Counted views one client may add in a minute, across articles.
pub const BURST: u32 = 30;
/// Counted views one address may add in a minute, across clients and articles.
pub const PER_ADDRESS: u32 = 120;
/// How often counted views are written.
pub const BATCH: Duration = Duration::from_secs(1);

const DAY: u64 = 86_400;

/// What became of a beacon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Counted,
    /// The same client counted for this article within the window.
    Repeat,
    /// A robot, a script or a headless browser's default identity.
    Robot,
    /// A prefetch or prerender: nobody has seen the page yet.
    Prefetch,
    /// Over the client's or the address's allowance.
    Burst,
    /// Sent by another site's page.
    CrossSite,
}

/// A client, as far as counting goes: a salted hash, never an address.
type Client = [u8; 16];

struct Salted {
    /// The UTC day (Unix days) the salt is for.
    day: u64,
    salt: [u8; 32],
    /// When each client last counted a view of each article: (client, slug) hashed.
    seen: HashMap<[u8; 16], Instant>,
}

/// The counter shared by every request.
#[derive(Clone)]
pub struct Views {
    salted: Arc<Mutex<Salted>>,
    burst: Arc<DefaultKeyedRateLimiter<Client>>,
    /// Per address (IPv6 by /64): checked first, so no client state grows past it.
    per_address: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    /// Counted views not written yet, per article and hour.
    pending: Arc<Mutex<HashMap<(String, i64), u32>>>,
    robots: Arc<isbot::Bots>,
}

fn fresh_salt() -> [u8; 32] {
    let mut salt = [0; 32];
    // Without the system's randomness there is nothing safe to salt with: fail loudly.
    getrandom::fill(&mut salt).expect("the system's random source");
    salt
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Default for Views {
    fn default() -> Self {
        Views::new()
    }
}

impl Views {
    pub fn new() -> Views {
        let per_minute = NonZeroU32::new(BURST).unwrap_or(NonZeroU32::MIN);
        Views {
            salted: Arc::new(Mutex::new(Salted {
                day: 0,
                salt: fresh_salt(),
                seen: HashMap::new(),
            })),
            burst: Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute))),
            per_address: Arc::new(RateLimiter::keyed(Quota::per_minute(
                NonZeroU32::new(PER_ADDRESS).unwrap_or(NonZeroU32::MIN),
            ))),
            pending: Arc::new(Mutex::new(HashMap::new())),
            robots: Arc::new(isbot::Bots::default()),
        }
    }

    /// Judges one beacon for the article at `slug` (an article that exists) from `address`, at
    /// `now` (Unix seconds), and keeps it to be written if it counts.
    pub fn offer(&self, slug: &str, address: IpAddr, headers: &HeaderMap, now: i64) -> Verdict {
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
        };
        let agent = text(header::USER_AGENT.as_str());
        if agent.trim().is_empty() || self.robots.is_bot(agent) {
            return Verdict::Robot;
        }
        let purpose = [text("sec-purpose"), text("purpose"), text("x-moz")]
            .join(" ")
            .to_ascii_lowercase();
        if purpose.contains("prefetch") || purpose.contains("prerender") {
            return Verdict::Prefetch;
        }
        let site = text("sec-fetch-site");
        if !site.is_empty() && site != "same-origin" {
            return Verdict::CrossSite;
        }

        let language = text(header::ACCEPT_LANGUAGE.as_str());
        let seconds = u64::try_from(now).unwrap_or(0);
        let (client, article) = {
            let mut salted = lock(&self.salted);
            if salted.day != seconds / DAY {
                // A new day: a new salt, and yesterday's clients are forgotten.
                *salted = Salted {
                    day: seconds / DAY,
                    salt: fresh_salt(),
                    seen: HashMap::new(),
                };
            }
            let hash = |parts: &[&[u8]]| {
                let mut h = Sha256::new();
                h.update(salted.salt);
                for part in parts {
                    h.update((part.len() as u64).to_le_bytes());
                    h.update(part);
                }
                let digest = h.finalize();
                let mut out = [0; 16];
                out.copy_from_slice(&digest[..16]);
                out
            };
            let address = address.to_string();
            let client = hash(&[address.as_bytes(), agent.as_bytes(), language.as_bytes()]);
            (client, hash(&[&client, slug.as_bytes()]))
        };
        let at = Instant::now();
        {
            let mut salted = lock(&self.salted);
            if salted
                .seen
                .get(&article)
                .is_some_and(|seen| at.duration_since(*seen) < WINDOW)
            {
                return Verdict::Repeat;
            }
            // The allowances are spent only by views that would count: the address's first, so
            // no client's state grows past it.
            let network = match address {
                IpAddr::V6(v6) => {
                    let mut bytes = v6.octets();
                    bytes[8..].fill(0);
                    IpAddr::from(bytes)
                }
                v4 => v4,
            };
            if self.per_address.check_key(&network).is_err()
                || self.burst.check_key(&client).is_err()
            {
                return Verdict::Burst;
            }
            salted.seen.insert(article, at);
        }
        *lock(&self.pending)
            .entry((slug.to_owned(), now.div_euclid(3_600)))
            .or_default() += 1;
        Verdict::Counted
    }

    /// Writes the counted views kept so far, in one transaction. Returns the articles whose
    /// counts changed. On failure the views are kept for the next try.
    pub async fn flush(&self, store: &dyn Store) -> Result<Vec<String>, StoreError> {
        let batch: Vec<HourlyViews> = lock(&self.pending)
            .drain()
            .map(|((slug, hour), views)| HourlyViews { slug, hour, views })
            .collect();
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        match store.record_views(batch.clone()).await {
            Ok(()) => {
                let mut slugs: Vec<String> = batch.into_iter().map(|v| v.slug).collect();
                slugs.sort();
                slugs.dedup();
                Ok(slugs)
            }
            Err(e) => {
                let mut pending = lock(&self.pending);
                for v in batch {
                    *pending.entry((v.slug, v.hour)).or_default() += v.views;
                }
                Err(e)
            }
        }
    }

    /// Forgets what no longer decides anything: clients seen longer than [`WINDOW`] ago, and
    /// burst allowances that are full again. Keeps the memory bounded by an hour's readers.
    pub fn forget_old(&self) {
        let at = Instant::now();
        lock(&self.salted)
            .seen
            .retain(|_, seen| at.duration_since(*seen) < WINDOW);
        self.burst.retain_recent();
        self.per_address.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;
    const BROWSER: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

    fn headers(agent: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        if !agent.is_empty() {
            h.insert(header::USER_AGENT, agent.parse().expect("header"));
        }
        h
    }

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([192, 0, 2, last])
    }

    #[test]
    fn one_view_per_client_and_article_in_the_window() {
        let views = Views::new();
        let h = headers(BROWSER);
        assert_eq!(views.offer("a", ip(1), &h, NOW), Verdict::Counted);
        for _ in 0..1_000 {
            assert_eq!(views.offer("a", ip(1), &h, NOW), Verdict::Repeat);
        }
        assert_eq!(
            views.offer("b", ip(1), &h, NOW),
            Verdict::Counted,
            "another article"
        );
        assert_eq!(
            views.offer("a", ip(2), &h, NOW),
            Verdict::Counted,
            "another client"
        );
        let other_browser = headers(&BROWSER.replace("156", "155"));
        assert_eq!(
            views.offer("a", ip(1), &other_browser, NOW),
            Verdict::Counted
        );
        let pending = lock(&views.pending).clone();
        assert_eq!(pending[&("a".to_owned(), NOW / 3_600)], 3);
        assert_eq!(pending[&("b".to_owned(), NOW / 3_600)], 1);
    }

    #[test]
    fn robots_scripts_headless_defaults_and_prefetches_do_not_count() {
        let views = Views::new();
        for agent in [
            "",
            "curl/8.5.0",
            "Googlebot/2.1 (+http://www.google.com/bot.html)",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36",
            "python-requests/2.32",
        ] {
            assert_eq!(
                views.offer("a", ip(1), &headers(agent), NOW),
                Verdict::Robot,
                "{agent}"
            );
        }
        let mut prefetch = headers(BROWSER);
        prefetch.insert("sec-purpose", "prefetch;prerender".parse().expect("header"));
        assert_eq!(views.offer("a", ip(1), &prefetch, NOW), Verdict::Prefetch);
        assert!(lock(&views.pending).is_empty());
    }

    #[test]
    fn a_burst_from_one_client_is_capped() {
        let views = Views::new();
        let h = headers(BROWSER);
        let counted = (0..100)
            .filter(|i| views.offer(&format!("story-{i}"), ip(1), &h, NOW) == Verdict::Counted)
            .count();
        assert_eq!(counted, BURST as usize);
        assert_eq!(views.offer("story-0", ip(2), &h, NOW), Verdict::Counted);
    }

    #[test]
    fn one_address_cannot_pose_as_many_clients() {
        let views = Views::new();
        let counted = (0..500)
            .filter(|i| {
                let mut h = headers(BROWSER);
                h.insert(
                    header::ACCEPT_LANGUAGE,
                    format!("en;q=0.{i}").parse().expect("header"),
                );
                views.offer(&format!("story-{i}"), ip(1), &h, NOW) == Verdict::Counted
            })
            .count();
        assert_eq!(counted, PER_ADDRESS as usize);
        let v6 = |last: u16| IpAddr::from([0x2001, 0xdb8, 0, 1, 0, 0, 0, last]);
        let counted = (0..500)
            .filter(|i| {
                views.offer(&format!("story-{i}"), v6(*i as u16), &headers(BROWSER), NOW)
                    == Verdict::Counted
            })
            .count();
        assert!(
            counted <= PER_ADDRESS as usize,
            "one /64 is one address: {counted}"
        );
    }

    #[test]
    fn another_sites_page_cannot_count() {
        let views = Views::new();
        let mut h = headers(BROWSER);
        h.insert("sec-fetch-site", "cross-site".parse().expect("header"));
        assert_eq!(views.offer("a", ip(1), &h, NOW), Verdict::CrossSite);
        h.insert("sec-fetch-site", "same-origin".parse().expect("header"));
        assert_eq!(views.offer("a", ip(1), &h, NOW), Verdict::Counted);
    }

    #[test]
    fn a_new_day_forgets_the_clients() {
        let views = Views::new();
        let h = headers(BROWSER);
        assert_eq!(views.offer("a", ip(1), &h, NOW), Verdict::Counted);
        let salt = lock(&views.salted).salt;
        let tomorrow = NOW + DAY as i64;
        assert_eq!(views.offer("a", ip(1), &h, tomorrow), Verdict::Counted);
        assert_ne!(lock(&views.salted).salt, salt, "a new salt");
    }
}
