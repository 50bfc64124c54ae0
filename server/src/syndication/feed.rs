//! Writing a feed in each format from whole articles. RSS and Atom are written by their crates
//! (`rss`, `atom_syndication`), which escape every value; JSON Feed by serde. The full text is
//! HTML made here from the body's typed blocks, every piece of text escaped, and then carried
//! by the feed as text (escaped again by the XML writer), so a headline or paragraph holding
//! `<script>` stays those characters.

use std::fmt::Write as _;

use broadsheet::feeds::{Format, Scope};
use broadsheet::i18n;
use broadsheet::route::Route;
use broadsheet_model::{Article, Block, Image, Timestamp, paragraph_runs, safe_href, safe_src};
use serde::Serialize;

use crate::head::escape;
use crate::store::StoreError;

/// What describes a feed as a whole.
pub struct Channel {
    pub title: String,
    pub description: String,
    /// The page whose stories the feed lists.
    pub page_url: String,
    /// The feed's own address.
    pub feed_url: String,
}

impl Channel {
    /// The feed of `scope` (`name`: a section's name) in `format`, on the site at `base`.
    pub fn new(scope: &Scope, name: Option<&str>, base: &str, format: Format) -> Channel {
        let description = match scope {
            Scope::Home => i18n::t("site.description"),
            Scope::Section(slug) => {
                Route::section(slug.clone()).description(Some(name.unwrap_or(slug)))
            }
            Scope::Tag(tag) => i18n::fill("feeds.tag_description", &[("tag", tag)]),
        };
        Channel {
            title: scope.title(name),
            description,
            page_url: format!("{base}{}", scope.page_path()),
            feed_url: format!("{base}{}", scope.path(format)),
        }
    }
}

/// The entries of a feed.
pub struct Entries<'a> {
    /// Newest first.
    pub articles: &'a [Article],
    /// Whether entries carry the whole body.
    pub full_text: bool,
    /// The site's address, for absolute links.
    pub base: &'a str,
}

impl Entries<'_> {
    fn url(&self, a: &Article) -> String {
        format!("{}{}", self.base, Route::article(a.slug.clone()).path())
    }

    fn summary(a: &Article) -> String {
        a.description(500)
    }

    /// The latest change of any entry (the feed's own `updated`).
    fn updated(&self) -> Option<Timestamp> {
        self.articles
            .iter()
            .map(modified)
            .max_by_key(|t| t.unix_seconds())
    }
}

fn modified(a: &Article) -> Timestamp {
    match a.updated_at {
        Some(u) if u.unix_seconds() > a.published_at.unix_seconds() => u,
        _ => a.published_at,
    }
}

/// Text as HTML element content: `&`, `<` and `>` escaped (quotes need no escape there).
fn html_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An absolute address for an image's `src` (a path on this site, or an http(s) URL).
fn absolute(base: &str, src: &str) -> Option<String> {
    let src = safe_src(src)?;
    Some(if src.starts_with('/') {
        format!("{base}{src}")
    } else {
        src.to_owned()
    })
}

/// The article's lead image and body as HTML: each block its element, each text escaped, links
/// only to http, https and mailto targets, images only from this site or http(s).
pub fn body_html(a: &Article, base: &str) -> String {
    let mut out = String::new();
    if let Some(image) = &a.image {
        figure(&mut out, image, base);
    }
    for block in &a.body.blocks {
        match block {
            Block::Paragraph { text, runs } => {
                out.push_str("<p>");
                for run in paragraph_runs(text, runs) {
                    let mut piece = escape(&run.text);
                    if run.italic {
                        piece = format!("<em>{piece}</em>");
                    }
                    if run.bold {
                        piece = format!("<strong>{piece}</strong>");
                    }
                    if let Some(href) = run.link.as_deref().and_then(safe_href) {
                        piece = format!("<a href=\"{}\">{piece}</a>", escape(&href));
                    }
                    out.push_str(&piece);
                }
                out.push_str("</p>");
            }
            Block::Heading { text } => {
                let _ = write!(out, "<h2>{}</h2>", escape(text));
            }
            Block::Quote { text, cite } => {
                let _ = write!(out, "<blockquote><p>{}</p>", escape(text));
                if let Some(cite) = cite {
                    let _ = write!(out, "<footer>— <cite>{}</cite></footer>", escape(cite));
                }
                out.push_str("</blockquote>");
            }
            Block::Image(image) => figure(&mut out, image, base),
            Block::List { ordered, items } => {
                let tag = if *ordered { "ol" } else { "ul" };
                let _ = write!(out, "<{tag}>");
                for item in items {
                    let _ = write!(out, "<li>{}</li>", escape(item));
                }
                let _ = write!(out, "</{tag}>");
            }
        }
    }
    out
}

fn figure(out: &mut String, image: &Image, base: &str) {
    let Some(src) = absolute(base, &image.src) else {
        return;
    };
    let _ = write!(
        out,
        "<figure><img src=\"{}\" alt=\"{}\" width=\"{}\" height=\"{}\" />",
        escape(&src),
        escape(&image.alt),
        image.width,
        image.height
    );
    let caption: Vec<&str> = [image.caption.as_deref(), image.credit.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if !caption.is_empty() {
        let _ = write!(
            out,
            "<figcaption>{}</figcaption>",
            escape(&caption.join(" — "))
        );
    }
    out.push_str("</figure>");
}

/// The categories of an entry: its section's name, then its tags.
fn categories(a: &Article) -> impl Iterator<Item = &str> {
    std::iter::once(a.section.name.as_str()).chain(a.tags.iter().map(String::as_str))
}

fn rfc2822(t: Timestamp) -> String {
    time::OffsetDateTime::from_unix_timestamp(t.unix_seconds())
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc2822)
                .ok()
        })
        .unwrap_or_default()
}

/// RSS 2.0, with `dc:creator` for bylines and `content:encoded` for the full text.
pub fn rss(channel: &Channel, entries: &Entries) -> String {
    let items = entries
        .articles
        .iter()
        .map(|a| {
            let url = entries.url(a);
            let mut item = rss::Item::default();
            item.set_title(a.headline.clone());
            item.set_link(url.clone());
            item.set_guid(rss::Guid {
                value: url,
                permalink: true,
            });
            item.set_pub_date(rfc2822(a.published_at));
            // An RSS description is read as HTML: the text is escaped to stay text.
            item.set_description(html_text(&Entries::summary(a)));
            item.set_categories(
                categories(a)
                    .map(|name| rss::Category {
                        name: name.to_owned(),
                        domain: None,
                    })
                    .collect::<Vec<_>>(),
            );
            if let Some(byline) = &a.byline {
                let mut dc = rss::extension::dublincore::DublinCoreExtension::default();
                dc.set_creators(vec![byline.name.clone()]);
                item.set_dublin_core_ext(dc);
            }
            if entries.full_text {
                item.set_content(body_html(a, entries.base));
            }
            item
        })
        .collect::<Vec<_>>();
    let mut rss = rss::Channel::default();
    rss.set_title(channel.title.clone());
    rss.set_link(channel.page_url.clone());
    rss.set_description(channel.description.clone());
    rss.set_language(i18n::lang());
    rss.set_generator(i18n::t("site.name"));
    if let Some(updated) = entries.updated() {
        rss.set_last_build_date(rfc2822(updated));
    }
    rss.set_items(items);
    rss.to_string()
}

fn fixed(t: Timestamp) -> atom_syndication::FixedDateTime {
    chrono::DateTime::parse_from_rfc3339(&t.to_rfc3339()).unwrap_or_default()
}

fn link(href: String, rel: &str, media_type: Option<&str>) -> atom_syndication::Link {
    atom_syndication::Link {
        href,
        rel: rel.to_owned(),
        mime_type: media_type.map(str::to_owned),
        ..Default::default()
    }
}

/// Atom 1.0. An entry without a byline names the site as its author (Atom wants one).
pub fn atom(channel: &Channel, entries: &Entries) -> String {
    let site = atom_syndication::Person {
        name: i18n::t("site.name"),
        uri: Some(format!("{}/", entries.base)),
        ..Default::default()
    };
    let items = entries
        .articles
        .iter()
        .map(|a| {
            let url = entries.url(a);
            atom_syndication::Entry {
                title: atom_syndication::Text::plain(a.headline.clone()),
                id: url.clone(),
                updated: fixed(modified(a)),
                published: Some(fixed(a.published_at)),
                authors: vec![match &a.byline {
                    Some(b) => atom_syndication::Person {
                        name: b.name.clone(),
                        ..Default::default()
                    },
                    None => site.clone(),
                }],
                categories: categories(a)
                    .map(|term| atom_syndication::Category {
                        term: term.to_owned(),
                        ..Default::default()
                    })
                    .collect(),
                links: vec![link(url, "alternate", Some("text/html"))],
                summary: Some(atom_syndication::Text::plain(Entries::summary(a))),
                content: entries.full_text.then(|| atom_syndication::Content {
                    value: Some(body_html(a, entries.base)),
                    content_type: Some("html".to_owned()),
                    ..Default::default()
                }),
                ..Default::default()
            }
        })
        .collect();
    let feed = atom_syndication::Feed {
        title: atom_syndication::Text::plain(channel.title.clone()),
        id: channel.feed_url.clone(),
        updated: entries.updated().map(fixed).unwrap_or_default(),
        authors: vec![site],
        links: vec![
            link(channel.page_url.clone(), "alternate", Some("text/html")),
            link(
                channel.feed_url.clone(),
                "self",
                Some(Format::Atom.media_type()),
            ),
        ],
        subtitle: Some(atom_syndication::Text::plain(channel.description.clone())),
        lang: Some(i18n::lang()),
        entries: items,
        ..Default::default()
    };
    feed.to_string()
}

/// A JSON Feed 1.1 document (<https://jsonfeed.org/version/1.1>).
#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: &'a str,
    description: &'a str,
    language: &'a str,
    authors: Vec<JsonAuthor>,
    items: Vec<JsonItem>,
}

#[derive(Serialize)]
struct JsonAuthor {
    name: String,
}

#[derive(Serialize)]
struct JsonItem {
    id: String,
    url: String,
    title: String,
    summary: String,
    /// The spec asks for `content_html` or `content_text`: the description when the body is
    /// not carried.
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    date_published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<JsonAuthor>,
    tags: Vec<String>,
}

/// JSON Feed 1.1.
pub fn json(channel: &Channel, entries: &Entries) -> Result<Vec<u8>, StoreError> {
    let items = entries
        .articles
        .iter()
        .map(|a| {
            let url = entries.url(a);
            let summary = Entries::summary(a);
            JsonItem {
                id: url.clone(),
                url,
                title: a.headline.clone(),
                content_text: (!entries.full_text).then(|| summary.clone()),
                content_html: entries.full_text.then(|| body_html(a, entries.base)),
                summary,
                image: a
                    .image
                    .as_ref()
                    .and_then(|i| absolute(entries.base, &i.src)),
                date_published: a.published_at.to_rfc3339(),
                date_modified: a.updated_at.map(Timestamp::to_rfc3339),
                authors: a
                    .byline
                    .iter()
                    .map(|b| JsonAuthor {
                        name: b.name.clone(),
                    })
                    .collect(),
                tags: categories(a).map(str::to_owned).collect(),
            }
        })
        .collect();
    let language = i18n::lang();
    let feed = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &channel.title,
        home_page_url: &channel.page_url,
        feed_url: &channel.feed_url,
        description: &channel.description,
        language: &language,
        authors: vec![JsonAuthor {
            name: i18n::t("site.name"),
        }],
        items,
    };
    Ok(serde_json::to_vec(&feed)?)
}
