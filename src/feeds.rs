//! The site's feeds, in one table: which pages have them, their addresses in each format, and
//! the `<link rel="alternate">` that announces them. The server answers these addresses and
//! writes the links into a page's first `<head>`; the app keeps them in step as it navigates.
//!
//! | page | RSS 2.0 | Atom 1.0 | JSON Feed 1.1 |
//! | --- | --- | --- | --- |
//! | `/` | `/feed.xml` | `/atom.xml` | `/feed.json` |
//! | `/section/{slug}` | `/section/{slug}/feed.xml` | `…/atom.xml` | `…/feed.json` |
//! | `/tag/{tag}` | `/tag/{tag}/feed.xml` | `…/atom.xml` | `…/feed.json` |
//!
//! A tag stands in its address percent-encoded (every byte but letters, digits and `-._~`).

use percent_encoding::percent_decode_str;

use crate::i18n;
use crate::route::Route;

/// A feed's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Rss,
    Atom,
    Json,
}

impl Format {
    /// Every format, in the order pages announce them.
    pub const ALL: [Format; 3] = [Format::Rss, Format::Atom, Format::Json];

    /// The last segment of the feed's address.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Rss => "feed.xml",
            Format::Atom => "atom.xml",
            Format::Json => "feed.json",
        }
    }

    /// The media type it is served and announced as.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Rss => "application/rss+xml",
            Format::Atom => "application/atom+xml",
            Format::Json => "application/feed+json",
        }
    }

    /// Its name, for a feed's title.
    pub fn label(self) -> &'static str {
        match self {
            Format::Rss => "RSS",
            Format::Atom => "Atom",
            Format::Json => "JSON Feed",
        }
    }

    fn from_file_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.file_name() == name)
    }
}

/// What a feed lists: a page's stories.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// The home page: every section.
    Home,
    /// A section, by slug.
    Section(String),
    /// A tag, exactly as stored.
    Tag(String),
}

impl Scope {
    /// The page whose stories the feed lists, as a path.
    pub fn page_path(&self) -> String {
        match self {
            Scope::Home => "/".to_owned(),
            Scope::Section(slug) => Route::section(slug.clone()).path(),
            Scope::Tag(tag) => tag_path(tag),
        }
    }

    /// The feed's address in `format`.
    pub fn path(&self, format: Format) -> String {
        match self {
            Scope::Home => format!("/{}", format.file_name()),
            _ => format!("{}/{}", self.page_path(), format.file_name()),
        }
    }

    /// The feed's title: the site's name, and the section's name or the tag.
    pub fn title(&self, name: Option<&str>) -> String {
        match self {
            Scope::Home => i18n::t("site.name"),
            Scope::Section(slug) => {
                i18n::fill("feeds.section_title", &[("section", name.unwrap_or(slug))])
            }
            Scope::Tag(tag) => i18n::fill("feeds.tag_title", &[("tag", tag)]),
        }
    }
}

/// A tag's page, `/tag/{tag}` with the tag percent-encoded (the route table's rule).
pub fn tag_path(tag: &str) -> String {
    Route::tag(tag).path()
}

/// The feed at `path` (a URL's path, as sent: a tag still percent-encoded), if it is one.
pub fn parse(path: &str) -> Option<(Scope, Format)> {
    let segments: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
    match segments.as_slice() {
        [file] => Some((Scope::Home, Format::from_file_name(file)?)),
        ["section", slug, file] if !slug.is_empty() => Some((
            Scope::Section((*slug).to_owned()),
            Format::from_file_name(file)?,
        )),
        ["tag", tag, file] if !tag.is_empty() => {
            let tag = percent_decode_str(tag).decode_utf8().ok()?;
            Some((Scope::Tag(tag.into_owned()), Format::from_file_name(file)?))
        }
        _ => None,
    }
}

/// The feeds a page announces: the home page's and a section front's. (A tag's page announces
/// [`Scope::Tag`]'s, through [`links`].)
pub fn for_route(route: &Route) -> Option<Scope> {
    match route {
        Route::Home => Some(Scope::Home),
        Route::Section { slug } => Some(Scope::Section(slug.clone())),
        Route::Tag { tag } => Some(Scope::Tag(tag.clone())),
        _ => None,
    }
}

/// One `<link rel="alternate">` of a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The feed's address (a path).
    pub href: String,
    /// Its media type.
    pub media_type: &'static str,
    /// What a feed reader shows, e.g. "World — Broadsheet (RSS)".
    pub title: String,
}

/// The links announcing `scope`'s feeds in every format; `name` is a section's name.
pub fn links(scope: &Scope, name: Option<&str>) -> Vec<Link> {
    let title = scope.title(name);
    Format::ALL
        .into_iter()
        .map(|format| Link {
            href: scope.path(format),
            media_type: format.media_type(),
            title: i18n::fill(
                "feeds.link_title",
                &[("title", &title), ("format", format.label())],
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_feed_parses_back_from_its_path() {
        for scope in [
            Scope::Home,
            Scope::Section("world".into()),
            Scope::Tag("C++ / Rust?".into()),
            Scope::Tag("한국어".into()),
        ] {
            for format in Format::ALL {
                assert_eq!(parse(&scope.path(format)), Some((scope.clone(), format)));
            }
        }
        assert_eq!(tag_path("a b/c"), "/tag/a%20b%2Fc");
        assert_eq!(Scope::Home.path(Format::Json), "/feed.json");
        assert_eq!(
            Scope::Section("world".into()).path(Format::Atom),
            "/section/world/atom.xml"
        );
    }

    #[test]
    fn other_paths_are_no_feeds() {
        for path in [
            "/",
            "/feed.rss",
            "/section/feed.xml",
            "/section//feed.xml",
            "/article/x/feed.xml",
            "/tag/%FF/feed.xml",
            "/section/world/feed.xml/x",
            "feed.xml",
        ] {
            assert_eq!(parse(path), None, "{path}");
        }
    }

    #[test]
    fn pages_announce_their_feeds() {
        assert_eq!(for_route(&Route::Home), Some(Scope::Home));
        assert_eq!(for_route(&Route::Saved), None);
        let links = links(&Scope::Section("world".into()), Some("World"));
        assert_eq!(links.len(), 3);
        assert_eq!(links[0].href, "/section/world/feed.xml");
        assert_eq!(links[0].title, "World — Broadsheet (RSS)");
        assert_eq!(links[2].media_type, "application/feed+json");
    }
}
