//! The WordPress REST API's posts (`GET /wp-json/wp/v2/posts`, best with `?_embed`): an array
//! of posts whose `title`, `content` and `excerpt` are rendered HTML. With `_embedded`, the
//! author's name, the featured image and the categories and tags come along.

use broadsheet_model::{Byline, Image};
use serde::Deserialize;
use time::{OffsetDateTime, PrimitiveDateTime};
use url::Url;

use super::html::{self, Dropped, cut, normalise};
use super::item::{Document, Draft};

#[derive(Deserialize)]
struct Post {
    id: u64,
    #[serde(default)]
    guid: Option<Rendered>,
    #[serde(default)]
    date_gmt: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    modified_gmt: Option<String>,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    link: Option<String>,
    title: Rendered,
    #[serde(default)]
    content: Option<Rendered>,
    #[serde(default)]
    excerpt: Option<Rendered>,
    #[serde(default, rename = "_embedded")]
    embedded: Option<Embedded>,
    /// The post's language: WordPress itself has none per post; Polylang adds `lang` ("ar"),
    /// WPML `wpml_current_locale` ("ar" or "en_US").
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    wpml_current_locale: Option<String>,
}

#[derive(Deserialize)]
struct Rendered {
    #[serde(default)]
    rendered: String,
    #[serde(default)]
    protected: bool,
}

#[derive(Deserialize, Default)]
struct Embedded {
    #[serde(default)]
    author: Vec<serde_json::Value>,
    #[serde(default, rename = "wp:featuredmedia")]
    featured: Vec<serde_json::Value>,
    #[serde(default, rename = "wp:term")]
    terms: Vec<Vec<serde_json::Value>>,
}

/// Reads an array of posts. A post that does not have the shape of one is skipped with the
/// JSON path of what is wrong.
pub fn read(json: &serde_json::Value, dropped: &mut Dropped) -> Document {
    let items = json
        .as_array()
        .map(|posts| {
            posts
                .iter()
                .enumerate()
                .map(|(i, value)| {
                    let post: Post = serde_path_to_error::deserialize(value)
                        .map_err(|e| format!("[{i}].{}: {}", e.path(), e.inner()))?;
                    draft(post, dropped)
                })
                .collect()
        })
        .unwrap_or_default();
    Document {
        title: None,
        site: String::new(),
        date: None,
        lang: None,
        items,
    }
}

fn draft(post: Post, dropped: &mut Dropped) -> Result<Draft, String> {
    if let Some(status) = post.status.as_deref().filter(|s| *s != "publish") {
        return Err(format!("it is not published (status {status:?})"));
    }
    let content = post.content.unwrap_or(Rendered {
        rendered: String::new(),
        protected: false,
    });
    if content.protected {
        return Err("it is password-protected".to_owned());
    }
    let base = post.link.as_deref().and_then(|l| Url::parse(l).ok());
    let embedded = post.embedded.unwrap_or_default();
    let byline = embedded.author.iter().find_map(|a| {
        let name = normalise(a.get("name")?.as_str()?);
        (!name.is_empty()).then_some(Byline { name, email: None })
    });
    let mut categories = Vec::new();
    let mut tags = Vec::new();
    for term in embedded.terms.iter().flatten() {
        let Some(name) = term.get("name").and_then(|n| n.as_str()) else {
            continue;
        };
        let name = html::to_text(name, dropped);
        match term.get("taxonomy").and_then(|t| t.as_str()) {
            Some("category") if name != "Uncategorized" => categories.push(name),
            Some("post_tag") => tags.push(name),
            _ => {}
        }
    }
    categories.extend(tags);
    Ok(Draft {
        id: post
            .guid
            .map(|g| g.rendered)
            .filter(|g| !g.is_empty())
            .unwrap_or_else(|| post.id.to_string()),
        link: post.link,
        headline: html::to_text(&post.title.rendered, dropped),
        standfirst: post
            .excerpt
            .filter(|e| !e.protected)
            .map(|e| html::to_text(&e.rendered, dropped)),
        body: html::to_blocks(&content.rendered, base.as_ref(), dropped),
        byline,
        // `date_gmt` is UTC without an offset; `date` is the site's local time, so it is used
        // only when there is nothing else, and read as UTC.
        published: post
            .date_gmt
            .as_deref()
            .or(post.date.as_deref())
            .and_then(wp_time),
        updated: post.modified_gmt.as_deref().and_then(wp_time),
        categories,
        image: embedded.featured.first().and_then(|m| featured(m, dropped)),
        slug_hint: post.slug,
        source: None,
        lang: post.lang.or(post.wpml_current_locale),
    })
}

/// WordPress's `2017-06-01T15:55:32` (no offset: the `_gmt` fields are UTC).
fn wp_time(s: &str) -> Option<OffsetDateTime> {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    PrimitiveDateTime::parse(s, &format)
        .ok()
        .map(PrimitiveDateTime::assume_utc)
}

/// The featured image (`_embedded["wp:featuredmedia"][0]`): an attachment with `source_url`,
/// `alt_text`, a rendered `caption` and `media_details` with its size. A forbidden one
/// (`{"code": "rest_forbidden"}`) is none.
fn featured(media: &serde_json::Value, dropped: &mut Dropped) -> Option<Image> {
    let src = html::image_url(media.get("source_url")?.as_str()?, None)?;
    let caption = media
        .pointer("/caption/rendered")
        .and_then(|c| c.as_str())
        .map(|c| html::to_text(c, dropped))
        .filter(|c| !c.is_empty());
    let alt = media
        .get("alt_text")
        .and_then(|a| a.as_str())
        .map(normalise)
        .filter(|a| !a.is_empty())
        .or_else(|| caption.clone())
        .or_else(|| {
            media
                .pointer("/title/rendered")
                .and_then(|t| t.as_str())
                .map(|t| html::to_text(t, dropped))
        })
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| "Image".to_owned());
    let size = |key: &str| {
        media
            .pointer(&format!("/media_details/{key}"))
            .and_then(|v| v.as_u64())
            .and_then(|v| u32::try_from(v).ok())
            .filter(|v| *v > 0)
    };
    let (width, height, framed) = html::size_or_frame(size("width"), size("height"));
    Some(Image {
        src,
        alt: cut(&alt, 500),
        caption,
        credit: None,
        width,
        height,
        framed,
    })
}
