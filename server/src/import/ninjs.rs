//! IPTC ninjs, one item or an array of them: 1.x as AP and others use it (`headline`,
//! `body_html`/`body_xhtml`/`body_text`, `byline`, `subject`, `associations` keyed by name),
//! 2.x (`headlines`, `bodies`, `descriptions`, `by`, `subjects`, associations and renditions as
//! arrays) and 3.x (the same in camelCase: `versionCreated`, `contentType`…).

use broadsheet_model::{Byline, Image};
use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::feed::plain_paragraphs;
use super::html::{self, Dropped, cut, normalise};
use super::item::{Document, Draft};

#[derive(Deserialize)]
struct Item {
    #[serde(default)]
    uri: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default, alias = "pubStatus")]
    pubstatus: Option<String>,
    #[serde(default)]
    headline: Option<String>,
    #[serde(default)]
    headlines: Vec<Value>,
    #[serde(default)]
    body_html: Option<String>,
    #[serde(default)]
    body_xhtml: Option<String>,
    #[serde(default)]
    body_text: Option<String>,
    #[serde(default)]
    bodies: Vec<Value>,
    #[serde(default)]
    description_text: Option<String>,
    #[serde(default)]
    description_html: Option<String>,
    #[serde(default)]
    descriptions: Vec<Value>,
    #[serde(default)]
    byline: Option<String>,
    #[serde(default)]
    by: Option<String>,
    #[serde(default, alias = "firstCreated")]
    firstcreated: Option<String>,
    #[serde(default, alias = "versionCreated")]
    versioncreated: Option<String>,
    #[serde(default, alias = "contentCreated")]
    contentcreated: Option<String>,
    #[serde(default)]
    subject: Vec<Named>,
    #[serde(default)]
    subjects: Vec<Named>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    associations: serde_json::Value,
    #[serde(default)]
    slugline: Option<String>,
    #[serde(default, alias = "copyrightHolder")]
    copyrightholder: Option<String>,
    /// The item's language, a BCP 47 tag (ninjs 1.x and 2.x).
    #[serde(default)]
    language: Option<String>,
}

/// A text with its role and type (`headlines`, `bodies`, `descriptions`).
#[derive(Deserialize)]
struct Value {
    #[serde(default)]
    role: Option<String>,
    #[serde(default, alias = "contentType")]
    contenttype: Option<String>,
    #[serde(default)]
    value: String,
}

#[derive(Deserialize)]
struct Named {
    #[serde(default)]
    name: Option<String>,
}

/// Reads one ninjs item or an array of them. An item that does not have the shape of one is
/// skipped with the JSON path of what is wrong.
pub fn read(json: &serde_json::Value, dropped: &mut Dropped) -> Document {
    let values: Vec<&serde_json::Value> = match json.as_array() {
        Some(items) => items.iter().collect(),
        None => vec![json],
    };
    let items = values
        .into_iter()
        .enumerate()
        .map(|(i, value)| {
            let item: Item = serde_path_to_error::deserialize(value)
                .map_err(|e| format!("[{i}].{}: {}", e.path(), e.inner()))?;
            draft(item, dropped)
        })
        .collect();
    Document {
        title: None,
        site: String::new(),
        date: None,
        lang: None,
        items,
    }
}

fn ninjs_time(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s.trim(), &Rfc3339).ok()
}

fn draft(item: Item, dropped: &mut Dropped) -> Result<Draft, String> {
    if let Some(status) = item
        .pubstatus
        .as_deref()
        .filter(|s| matches!(*s, "canceled" | "withheld"))
    {
        return Err(format!("it is {status}"));
    }
    let headline = item
        .headline
        .clone()
        .or_else(|| pick(&item.headlines, &["main", "", "headline"]).map(|h| h.value.clone()))
        .map(|h| normalise(&h))
        .unwrap_or_default();
    let body = if let Some(html_body) = item.body_html.as_deref().or(item.body_xhtml.as_deref()) {
        html::to_blocks(html_body, None, dropped)
    } else if let Some(text) = &item.body_text {
        plain_paragraphs(text)
    } else {
        // 2.x/3.x: the richest body there is, HTML first.
        let rich = item
            .bodies
            .iter()
            .find(|b| b.contenttype.as_deref().is_some_and(|t| t.contains("html")));
        match rich {
            Some(b) => html::to_blocks(&b.value, None, dropped),
            None => item
                .bodies
                .first()
                .map(|b| plain_paragraphs(&b.value))
                .unwrap_or_default(),
        }
    };
    if body.is_empty()
        && let Some(kind) = item
            .kind
            .as_deref()
            .filter(|k| *k != "text" && *k != "composite")
    {
        return Err(format!("it is a {kind} item without text"));
    }
    let standfirst = item
        .description_text
        .clone()
        .or_else(|| {
            item.description_html
                .as_deref()
                .map(|d| html::to_text(d, dropped))
        })
        .or_else(|| {
            pick(&item.descriptions, &["summary", "text", "", "caption"]).map(|d| {
                if d.contenttype.as_deref().is_some_and(|t| t.contains("html")) {
                    html::to_text(&d.value, dropped)
                } else {
                    d.value.clone()
                }
            })
        });
    let by = item.byline.clone().or_else(|| item.by.clone());
    let byline = by
        .map(|b| normalise(&b))
        .filter(|b| !b.is_empty())
        .map(|name| Byline { name, email: None });
    let categories = item
        .subject
        .iter()
        .chain(&item.subjects)
        .filter_map(|s| s.name.clone())
        .chain(item.keywords.iter().cloned())
        .collect();
    let published = item
        .firstcreated
        .as_deref()
        .or(item.contentcreated.as_deref())
        .or(item.versioncreated.as_deref())
        .and_then(ninjs_time);
    Ok(Draft {
        id: item.uri.clone().unwrap_or_default(),
        link: item
            .uri
            .clone()
            .filter(|u| u.starts_with("http://") || u.starts_with("https://")),
        headline,
        standfirst,
        body,
        byline,
        published,
        updated: item.versioncreated.as_deref().and_then(ninjs_time),
        categories,
        image: picture(&item.associations, dropped),
        slug_hint: item.slugline,
        source: item
            .copyrightholder
            .map(|c| normalise(&c))
            .filter(|c| !c.is_empty()),
        lang: item.language,
    })
}

/// The first value with one of `roles` (in that order; "" matches a value without a role),
/// else the first value.
fn pick<'a>(values: &'a [Value], roles: &[&str]) -> Option<&'a Value> {
    roles
        .iter()
        .find_map(|role| {
            values
                .iter()
                .find(|v| v.role.as_deref().unwrap_or_default() == *role)
        })
        .or_else(|| values.first())
}

/// The first picture among the associations (an object keyed by name in 1.x, an array in 2.x
/// and 3.x), in its largest rendition no wider than 2,000 pixels (or its only one).
fn picture(associations: &serde_json::Value, dropped: &mut Dropped) -> Option<Image> {
    let list: Vec<&serde_json::Value> = match associations {
        serde_json::Value::Object(map) => map.values().collect(),
        serde_json::Value::Array(items) => items.iter().collect(),
        _ => Vec::new(),
    };
    let text =
        |v: &serde_json::Value, key: &str| v.get(key).and_then(|x| x.as_str()).map(str::to_owned);
    for assoc in list {
        let kind = text(assoc, "type").unwrap_or_default();
        if !matches!(kind.as_str(), "picture" | "graphic" | "image" | "") {
            continue;
        }
        let renditions: Vec<&serde_json::Value> = match assoc.get("renditions") {
            Some(serde_json::Value::Object(map)) => map.values().collect(),
            Some(serde_json::Value::Array(items)) => items.iter().collect(),
            _ => Vec::new(),
        };
        let size = |r: &serde_json::Value, key: &str| {
            r.get(key)
                .and_then(serde_json::Value::as_u64)
                .and_then(|v| u32::try_from(v).ok())
        };
        let is_image = |r: &&&serde_json::Value| {
            let mime = text(r, "mimetype")
                .or_else(|| text(r, "contenttype"))
                .or_else(|| text(r, "contentType"))
                .unwrap_or_default();
            (mime.is_empty() || mime.starts_with("image/")) && text(r, "href").is_some()
        };
        let best = renditions
            .iter()
            .filter(is_image)
            .filter(|r| size(r, "width").is_none_or(|w| w <= 2000))
            .max_by_key(|r| size(r, "width").unwrap_or(0))
            .or_else(|| renditions.iter().find(|r| is_image(r)));
        let Some(best) = best else { continue };
        let Some(src) = text(best, "href").and_then(|h| html::image_url(&h, None)) else {
            dropped.add("image without a usable address", 1);
            continue;
        };
        let description = text(assoc, "description_text").or_else(|| {
            assoc
                .get("descriptions")
                .and_then(|d| d.as_array())
                .and_then(|d| d.first())
                .and_then(|d| text(d, "value"))
        });
        let caption = description.map(|d| normalise(&d)).filter(|d| !d.is_empty());
        let alt = text(assoc, "headline")
            .or_else(|| caption.clone())
            .map(|a| normalise(&a))
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| "Image".to_owned());
        let credit = text(assoc, "by")
            .or_else(|| text(assoc, "byline"))
            .map(|c| normalise(&c))
            .filter(|c| !c.is_empty());
        let (width, height, framed) =
            html::size_or_frame(size(best, "width"), size(best, "height"));
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
