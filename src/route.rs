//! Every page of the site, in one table: what an address means, the address of a page, and the
//! page's title and description. The app's router, the server's page handler, both `<head>`s
//! and every link use it, so an address is written down once.
//!
//! To add a page: a variant here (with its `parse`, `path`, `title` and `description` arms —
//! the compiler points at each), the page's file in `pages/`, and its arm in the two places
//! that render a route (`app.rs` in the browser, the server's `web.rs`).

use broadsheet_model::is_valid_slug;

use crate::i18n;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// What a tag or an author's slug keeps unencoded in an address: RFC 3986's unreserved
/// characters. Everything else (`/`, `?`, spaces, Hangul…) is percent-encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A page of the site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/`: the lead story, each section's latest stories, the modules.
    Home,
    /// `/article/{slug}`: one article.
    Article { slug: String },
    /// `/section/{slug}`: one section's stories, newest first.
    Section { slug: String },
    /// `/saved`: the articles kept on this device for offline reading.
    Saved,
    /// `/embed/article/{slug}`: an article for partner sites to frame.
    Embed { slug: String },
    /// `/tag/{tag}`: a tag's stories, newest first. The tag exactly as stored (decoded here;
    /// percent-encoded in the address).
    Tag { tag: String },
    /// `/author/{slug}`: an author's stories, newest first (`broadsheet_model::author_slug`).
    Author { slug: String },
    /// `/search?q={query}&cursor={cursor}`: the stories holding the query's words, a page at a
    /// time (`cursor`: where the page starts, as the API gave it).
    Search {
        query: String,
        cursor: Option<String>,
    },
    /// Any other address.
    NotFound,
}

impl Route {
    /// The page at `address`: a URL's path, with or without its query (`?…`, read only by the
    /// pages that take one: search). Slashes at either end of the path are ignored. A slug is
    /// whatever stands in its place: whether an article or section has it is for the page to
    /// find out ("Article not found"), see [`Route::names_valid_slug`].
    pub fn parse(address: &str) -> Route {
        let address = address.split('#').next().unwrap_or_default();
        let (path, query) = address.split_once('?').unwrap_or((address, ""));
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        match segments.as_slice() {
            [""] => Route::Home,
            ["article", slug] if !slug.is_empty() => Route::article(*slug),
            ["section", slug] if !slug.is_empty() => Route::section(*slug),
            ["saved"] => Route::Saved,
            ["search"] => Route::Search {
                query: query_param(query, "q").unwrap_or_default(),
                cursor: query_param(query, "cursor").filter(|c| !c.is_empty()),
            },
            ["embed", "article", slug] if !slug.is_empty() => Route::Embed {
                slug: (*slug).to_owned(),
            },
            ["tag", tag] => decoded(tag).map_or(Route::NotFound, Route::tag),
            ["author", slug] => decoded(slug).map_or(Route::NotFound, Route::author),
            _ => Route::NotFound,
        }
    }

    /// Whether an article's or embed's slug is one an article could have (others name nothing,
    /// and are never looked up).
    pub fn names_valid_slug(&self) -> bool {
        match self {
            Route::Article { slug } | Route::Embed { slug } => is_valid_slug(slug),
            _ => true,
        }
    }

    /// The article page of `slug`.
    pub fn article(slug: impl Into<String>) -> Route {
        Route::Article { slug: slug.into() }
    }

    /// The front of the section `slug`.
    pub fn section(slug: impl Into<String>) -> Route {
        Route::Section { slug: slug.into() }
    }

    /// The page of the tag `tag` (as stored).
    pub fn tag(tag: impl Into<String>) -> Route {
        Route::Tag { tag: tag.into() }
    }

    /// The page of the author whose slug is `slug`.
    pub fn author(slug: impl Into<String>) -> Route {
        Route::Author { slug: slug.into() }
    }

    /// Whether the page is a list of stories paged by `?cursor=` (the query then names a
    /// different page, for caches and the server's copies too).
    pub fn pages_by_cursor(&self) -> bool {
        matches!(self, Route::Tag { .. } | Route::Author { .. })
    }

    /// The API's list behind a tag's or an author's page (`/api/{list}/{name}`): the list and
    /// the name the page goes by there.
    pub fn api_list(&self) -> Option<(&'static str, &str)> {
        match self {
            Route::Tag { tag } => Some(("tags", tag)),
            Route::Author { slug } => Some(("authors", slug)),
            _ => None,
        }
    }

    /// The results of `query` (from `cursor` on, or from the start).
    pub fn search(query: impl Into<String>, cursor: Option<String>) -> Route {
        Route::Search {
            query: query.into(),
            cursor,
        }
    }

    /// Whether `path` is a partner embed (the app then renders no site frame around it).
    pub fn is_embed_path(path: &str) -> bool {
        path.starts_with("/embed/")
    }

    /// The page's address (a path; [`Route::NotFound`] has none of its own, and gives `/`'s
    /// nearest stand-in, the empty path).
    pub fn path(&self) -> String {
        match self {
            Route::Home => "/".to_owned(),
            Route::Article { slug } => format!("/article/{slug}"),
            Route::Section { slug } => format!("/section/{slug}"),
            Route::Saved => "/saved".to_owned(),
            Route::Embed { slug } => format!("/embed/article/{slug}"),
            Route::Tag { tag } => format!("/tag/{}", utf8_percent_encode(tag, SEGMENT)),
            Route::Author { slug } => format!("/author/{}", utf8_percent_encode(slug, SEGMENT)),
            Route::Search { query, cursor } => {
                let mut path = "/search".to_owned();
                let query = query.trim();
                if !query.is_empty() {
                    path.push_str("?q=");
                    path.push_str(&query_encode(query));
                    if let Some(cursor) = cursor {
                        path.push_str("&cursor=");
                        path.push_str(&query_encode(cursor));
                    }
                }
                path
            }
            Route::NotFound => String::new(),
        }
    }

    /// The canonical page of this one: an embed's is its article's.
    pub fn canonical(&self) -> Route {
        match self {
            Route::Embed { slug } => Route::article(slug.clone()),
            other => other.clone(),
        }
    }

    /// The page's title, without the site's name. `subject` is what the page shows, where its
    /// title is that: an article's headline, a section's name.
    pub fn title(&self, subject: Option<&str>) -> String {
        let subject = || subject.unwrap_or_default().to_owned();
        match self {
            Route::Home => i18n::t("home.title"),
            Route::Article { .. }
            | Route::Embed { .. }
            | Route::Section { .. }
            | Route::Author { .. } => subject(),
            Route::Tag { tag } => i18n::fill("listing.tag_title", &[("tag", tag)]),
            Route::Saved => i18n::t("saved.title"),
            Route::Search { query, .. } if query.trim().is_empty() => i18n::t("search.title"),
            Route::Search { query, .. } => {
                i18n::fill("search.title_query", &[("query", query.trim())])
            }
            Route::NotFound => i18n::t("not_found.page"),
        }
    }

    /// The page's description, for search results and link previews. An article's is its own
    /// (`Article::description`), given as `subject`; a section's is made from its name.
    pub fn description(&self, subject: Option<&str>) -> String {
        match (self, subject) {
            (Route::Article { .. } | Route::Embed { .. }, Some(own)) => own.to_owned(),
            (Route::Section { .. }, Some(name)) => {
                i18n::fill("section.description", &[("section", name)])
            }
            (Route::Tag { tag }, _) => i18n::fill("listing.tag_description", &[("tag", tag)]),
            (Route::Author { .. }, Some(name)) => {
                i18n::fill("listing.author_description", &[("author", name)])
            }
            (Route::Saved, _) => i18n::t("saved.description"),
            (Route::Search { query, .. }, _) if !query.trim().is_empty() => {
                i18n::fill("search.description", &[("query", query.trim())])
            }
            _ => i18n::t("site.description"),
        }
    }

    /// Whether search engines may index the page.
    pub fn indexed(&self) -> bool {
        matches!(
            self,
            Route::Home
                | Route::Article { .. }
                | Route::Section { .. }
                | Route::Tag { .. }
                | Route::Author { .. }
        )
    }

    /// Whether the server sends the page's first screen rendered, with its data.
    pub fn has_first_screen(&self) -> bool {
        self.indexed() || matches!(self, Route::Search { .. })
    }

    /// Whether its first screen is a front's, a list of stories (home, a section, a tag, an
    /// author, search): its page carries only the CSS the fronts use (`postbuild/src/styles.rs`).
    pub fn is_front(&self) -> bool {
        self.has_first_screen() && !matches!(self, Route::Article { .. })
    }
}

/// The value of `name` in a URL's query (`a=1&b=2`, form-encoded: `+` is a space), the first
/// if given twice.
fn query_param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == name).then(|| {
            percent_encoding::percent_decode_str(&value.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        })
    })
}

/// `value` encoded for a URL's query: every character but letters, digits and `-._~`.
fn query_encode(value: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(value, KEEP).to_string()
}

/// The title of a page whose content is missing: "Article not found", "Section not found"…
pub fn not_found_title(route: &Route) -> String {
    i18n::t(match route {
        Route::Article { .. } | Route::Embed { .. } => "not_found.article",
        Route::Section { .. } => "not_found.section",
        Route::Tag { .. } => "not_found.tag",
        Route::Author { .. } => "not_found.author",
        _ => "not_found.page",
    })
}

/// A path segment decoded: `None` when empty or not UTF-8 once decoded.
fn decoded(segment: &str) -> Option<String> {
    let text = percent_decode_str(segment).decode_utf8().ok()?;
    (!text.is_empty()).then(|| text.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_parses_back_from_its_path() {
        for route in [
            Route::Home,
            Route::article("harbour-cranes"),
            Route::section("world"),
            Route::Saved,
            Route::Embed {
                slug: "harbour-cranes".into(),
            },
            Route::tag("harbours"),
            Route::tag("sea ports / trade?"),
            Route::tag("항구"),
            Route::tag("100%"),
            Route::author("mina-park"),
            Route::author("김민지"),
            Route::search("night trains & 서울", None),
            Route::search("a+b=c?", Some("1.1700000000.42".into())),
        ] {
            assert_eq!(Route::parse(&route.path()), route, "{route:?}");
            let path = route.path();
            let (path, query) = path.split_once('?').unwrap_or((&path, ""));
            assert_eq!(Route::parse(&format!("{path}/?{query}")), route);
        }
    }

    #[test]
    fn unknown_and_malformed_addresses_are_not_found() {
        for path in [
            "/nope",
            "/article",
            "/article/",
            "/article/a/b",
            "/embed/article/",
            "/embed/other/x",
            "/saved/x",
            "/tag",
            "/tag/",
            "/tag/a/b",
            "/author/%FF",
        ] {
            assert_eq!(Route::parse(path), Route::NotFound, "{path}");
        }
    }

    #[test]
    fn tags_and_authors_are_percent_encoded_in_addresses() {
        assert_eq!(
            Route::tag("sea ports/trade?").path(),
            "/tag/sea%20ports%2Ftrade%3F"
        );
        assert_eq!(Route::tag("항구").path(), "/tag/%ED%95%AD%EA%B5%AC");
        assert_eq!(Route::parse("/tag/%ED%95%AD%EA%B5%AC"), Route::tag("항구"));
        assert_eq!(Route::author("mina-park").path(), "/author/mina-park");
        assert_eq!(Route::tag("Trade").title(None), "Tag: Trade");
        assert_eq!(Route::author("x").title(Some("Mina Park")), "Mina Park");
        assert_eq!(not_found_title(&Route::tag("x")), "Tag not found");
        assert!(Route::tag("x").indexed() && Route::author("x").has_first_screen());
    }

    #[test]
    fn titles_and_descriptions() {
        assert_eq!(Route::Home.title(None), "Latest news");
        assert_eq!(
            Route::Home.description(None),
            "Broadsheet: independent news, written for readers."
        );
        let world = Route::section("world");
        assert_eq!(world.title(Some("World")), "World");
        assert_eq!(
            world.description(Some("World")),
            "The latest World stories from Broadsheet."
        );
        assert_eq!(Route::article("x").description(Some("Own.")), "Own.");
        assert!(!Route::Saved.indexed() && Route::article("x").indexed());
        assert_eq!(
            Route::Embed { slug: "x".into() }.canonical(),
            Route::article("x")
        );
        assert_eq!(not_found_title(&Route::section("x")), "Section not found");
        assert!(Route::parse("/article/Bad%20Slug") == Route::article("Bad%20Slug"));
        assert!(!Route::article("Bad%20Slug").names_valid_slug());
        assert!(Route::article("good-one").names_valid_slug());
    }

    #[test]
    fn search_reads_its_query() {
        assert_eq!(
            Route::parse("/search?q=night+trains&cursor=1.2.3#top"),
            Route::search("night trains", Some("1.2.3".into()))
        );
        assert_eq!(
            Route::parse("/search?cursor=&q=%EC%84%9C%EC%9A%B8"),
            Route::search("서울", None)
        );
        assert_eq!(Route::parse("/search"), Route::search("", None));
        assert_eq!(Route::search("", None).path(), "/search");
        assert_eq!(Route::search(" x ", None).title(None), "Search: x");
        assert_eq!(Route::search("", None).title(None), "Search");
        // Other pages ignore a query.
        assert_eq!(Route::parse("/saved?q=x"), Route::Saved);
        assert!(Route::search("x", None).has_first_screen() && !Route::search("x", None).indexed());
    }
}
