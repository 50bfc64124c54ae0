//! What the publisher chooses about feeds and sitemaps (a module of its own: the state holds it,
//! and the handlers beside it read the state).

/// The most URLs a sitemap may hold (sitemaps.org).
pub const SITEMAP_MAX: u32 = 50_000;
/// Article ids per article sitemap unless the publisher chooses (`--sitemap-urls`): WordPress's
/// own number. A part of 2,000 URLs is about 250 KB; one at the protocol's limit is 5 to 12 MB,
/// which no one part of a site should cost a crawler, a cache or the origin (at 100,000
/// articles one 50,000-URL part answered 420 a second, with a p99 of 350 ms).
pub const SITEMAP_DEFAULT: u32 = 2_000;

/// What the publisher chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// `--feed-full-text`: entries carry the whole body, not only the description.
    pub full_text: bool,
    /// Article ids per article sitemap (at most [`SITEMAP_MAX`]).
    pub sitemap_part: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            full_text: false,
            sitemap_part: SITEMAP_DEFAULT,
        }
    }
}
