//! What the publisher chooses about feeds and sitemaps (a module of its own: the state holds it,
//! and the handlers beside it read the state).

/// The most URLs a sitemap may hold (sitemaps.org).
pub const SITEMAP_MAX: u32 = 50_000;

/// What the publisher chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// `--feed-full-text`: entries carry the whole body, not only the description.
    pub full_text: bool,
    /// Article ids per article sitemap (at most [`SITEMAP_MAX`]; smaller in tests).
    pub sitemap_part: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            full_text: false,
            sitemap_part: SITEMAP_MAX,
        }
    }
}
