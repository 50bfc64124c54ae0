//! RSS, Atom and JSON Feed, read by feed-rs: `content:encoded`/`content`/`content_html` →
//! body, `description`/`summary` → standfirst, `dc:creator`/`author` → byline, categories →
//! tags, `enclosure`/`media:content`/`media:thumbnail`/JSON Feed's `image` → lead image.

use broadsheet_model::{Block, Byline, Image};
use feed_rs::model::{Entry, Feed, FeedType, MediaObject, Text};
use url::Url;

use super::document::Format;
use super::error::ImportError;
use super::html::{self, Dropped, FRAME_HEIGHT, FRAME_WIDTH, cut, normalise};
use super::item::{Document, Draft, from_chrono};

/// Reads a feed (the raw bytes: feed-rs decodes the declared encoding itself, as we did).
pub fn read(
    bytes: &[u8],
    format: Format,
    json: Option<&serde_json::Value>,
    base: Option<&str>,
    dropped: &mut Dropped,
) -> Result<Document, ImportError> {
    let parser = feed_rs::parser::Builder::new().base_uri(base).build();
    let feed: Feed = parser.parse(bytes).map_err(|e| ImportError::Malformed {
        format: format.name(),
        at: "the document".to_owned(),
        problem: e.to_string(),
    })?;
    let found = match feed.feed_type {
        FeedType::Atom => Format::Atom,
        FeedType::JSON => Format::Jsonfeed,
        FeedType::RSS0 | FeedType::RSS1 | FeedType::RSS2 => Format::Rss,
    };
    if found != format {
        return Err(ImportError::NotAFeed(format!(
            "it was read as {} but is {}",
            format.name(),
            found.name()
        )));
    }
    let site_link = feed
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .map(|l| l.href.clone());
    let site = site_link.clone().unwrap_or_else(|| feed.id.clone());
    let feed_base = site_link
        .as_deref()
        .or(base)
        .and_then(|b| Url::parse(b).ok());
    let title = feed.title.as_ref().map(|t| text(t, dropped));
    // RSS descriptions and content hold (escaped) HTML whatever type feed-rs gives them
    // (RSS 1.0's are read as text/plain); Atom and JSON Feed say which they hold.
    let rss = format == Format::Rss;
    // feed-rs leaves out JSON Feed's `image` (and `banner_image`): read from the JSON, by the
    // item's place (feed-rs keeps the order).
    let json_items = json
        .and_then(|j| j.get("items"))
        .and_then(serde_json::Value::as_array);
    let items = feed
        .entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let mut d = draft(entry, rss, feed_base.as_ref(), dropped);
            if d.image.is_none()
                && let Some(item) = json_items.and_then(|items| items.get(i))
            {
                d.image = json_feed_image(item, &d.headline);
            }
            Ok(d)
        })
        .collect();
    Ok(Document {
        title: title.filter(|t| !t.is_empty()),
        site,
        date: feed.published.or(feed.updated).and_then(from_chrono),
        lang: feed.language,
        items,
    })
}

fn is_html(t: &Text) -> bool {
    let kind = t.content_type.to_string();
    kind.contains("html")
}

/// A title or summary as plain text.
fn text(t: &Text, dropped: &mut Dropped) -> String {
    if is_html(t) {
        html::to_text(&t.content, dropped)
    } else {
        normalise(&t.content)
    }
}

/// Plain text cut into paragraphs at blank lines.
pub fn plain_paragraphs(text: &str) -> Vec<Block> {
    text.split("\n\n")
        .map(normalise)
        .filter(|p| !p.is_empty())
        .map(|p| Block::Paragraph {
            text: cut(&p, 10_000),
            runs: Vec::new(),
        })
        .collect()
}

fn draft(entry: Entry, rss: bool, feed_base: Option<&Url>, dropped: &mut Dropped) -> Draft {
    let link = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .map(|l| l.href.clone());
    let base = entry
        .base
        .as_deref()
        .or(link.as_deref())
        .and_then(|b| Url::parse(b).ok())
        .or_else(|| feed_base.cloned());
    let headline = entry
        .title
        .as_ref()
        .map(|t| text(t, dropped))
        .unwrap_or_default();
    let content = entry.content.as_ref().and_then(|c| {
        let body = c.body.as_deref()?;
        let kind = c.content_type.to_string();
        Some(if rss || kind.contains("html") {
            html::to_blocks(body, base.as_ref(), dropped)
        } else {
            plain_paragraphs(body)
        })
    });
    let (body, standfirst) = match content {
        Some(blocks) if !blocks.is_empty() => {
            let summary = entry.summary.as_ref().map(|s| {
                if rss {
                    html::to_text(&s.content, dropped)
                } else {
                    text(s, dropped)
                }
            });
            (blocks, summary)
        }
        // Without content the description is the article (RSS's usual case).
        _ => {
            let body = match &entry.summary {
                Some(s) if rss || is_html(s) => html::to_blocks(&s.content, base.as_ref(), dropped),
                Some(s) => plain_paragraphs(&s.content),
                None => Vec::new(),
            };
            (body, None)
        }
    };
    let byline = entry.authors.iter().find_map(|p| {
        let name = normalise(p.name.as_deref().unwrap_or_default());
        (!name.is_empty() && name != "Unknown").then(|| Byline {
            name,
            email: p.email.clone(),
        })
    });
    let categories = entry
        .categories
        .iter()
        .map(|c| c.label.clone().unwrap_or_else(|| c.term.clone()))
        .collect();
    Draft {
        id: entry.id.clone(),
        link,
        headline,
        standfirst,
        body,
        byline,
        published: entry.published.and_then(from_chrono),
        updated: entry.updated.and_then(from_chrono),
        categories,
        image: lead_image(&entry.media, dropped),
        slug_hint: None,
        source: None,
        lang: entry.language.clone(),
    }
}

/// The first picture among the item's media: an image `media:content` or enclosure, else a
/// thumbnail. Video and audio are not pictures.
fn lead_image(media: &[MediaObject], dropped: &mut Dropped) -> Option<Image> {
    for object in media {
        let caption = object
            .description
            .as_ref()
            .map(|d| text(d, dropped))
            .filter(|d| !d.is_empty());
        let alt = object
            .title
            .as_ref()
            .map(|t| text(t, dropped))
            .filter(|t| !t.is_empty())
            .or_else(|| caption.clone())
            .unwrap_or_else(|| "Image".to_owned());
        let credit = object
            .credits
            .first()
            .map(|c| normalise(&c.entity))
            .filter(|c| !c.is_empty());
        let picture = object.content.iter().find(|c| {
            c.content_type
                .as_ref()
                .is_some_and(|t| t.to_string().starts_with("image/"))
                && c.url.is_some()
        });
        let found = picture
            .and_then(|c| Some((c.url.as_ref()?.to_string(), c.width, c.height)))
            .or_else(|| {
                object
                    .thumbnails
                    .first()
                    .map(|t| (t.image.uri.clone(), t.image.width, t.image.height))
            });
        let Some((src, width, height)) = found else {
            continue;
        };
        let Some(src) = html::image_url(&src, None) else {
            dropped.add("image without a usable address", 1);
            continue;
        };
        let (width, height, framed) = html::size_or_frame(width, height);
        return Some(Image {
            src,
            alt: cut(&alt, 500),
            caption,
            credit,
            width,
            height,
            framed,
        });
    }
    None
}

/// A JSON Feed item's `image` (else `banner_image`): an address without a size.
fn json_feed_image(item: &serde_json::Value, headline: &str) -> Option<Image> {
    let src = ["image", "banner_image"]
        .iter()
        .find_map(|k| item.get(*k).and_then(serde_json::Value::as_str))?;
    let src = html::image_url(src, None)?;
    Some(Image {
        src,
        alt: if headline.is_empty() {
            "Image".to_owned()
        } else {
            cut(headline, 500)
        },
        caption: None,
        credit: None,
        width: FRAME_WIDTH,
        height: FRAME_HEIGHT,
        framed: true,
    })
}
