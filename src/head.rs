//! The document's `<head>` as the reader navigates: the server fills it in for the first page
//! (title, description, canonical link, Open Graph…); the app keeps the description and the
//! canonical link in step with each page it shows. The title is leptos_meta's `<Title>`.

use leptos::prelude::*;

use crate::feeds::{self, Scope};
use crate::route::Route;

/// The site's public address, e.g. `https://news.example`: the server writes it into
/// `<meta name="broadsheet-public-url">`; otherwise the page's own origin.
#[cfg(target_arch = "wasm32")]
pub fn public_base() -> String {
    document()
        .query_selector("meta[name=broadsheet-public-url]")
        .ok()
        .flatten()
        .and_then(|m| m.get_attribute("content"))
        .filter(|s| !s.is_empty())
        .or_else(|| window().location().origin().ok())
        .unwrap_or_default()
        .trim_end_matches('/')
        .to_owned()
}

/// The site's language, a BCP 47 tag: the server writes its `--lang` into
/// `<meta name="broadsheet-lang">` (and onto `<html lang dir>`); `None` on a page that came
/// without it. The interface's words come with the page too (`crate::i18n`).
#[cfg(target_arch = "wasm32")]
pub fn site_lang() -> Option<String> {
    document()
        .query_selector("meta[name=broadsheet-lang]")
        .ok()
        .flatten()
        .and_then(|m| m.get_attribute("content"))
        .filter(|s| !s.is_empty())
}

/// The site's public address while the server renders a page: given in context as a
/// [`PublicBase`] (see `render`).
#[cfg(not(target_arch = "wasm32"))]
pub fn public_base() -> String {
    use_context::<PublicBase>().map(|b| b.0).unwrap_or_default()
}

/// The site's public address, without the trailing slash, for pages rendered by the server.
#[derive(Clone, Debug)]
pub struct PublicBase(pub String);

/// The canonical URL of a page of this site.
pub fn canonical(route: &Route) -> String {
    format!("{}{}", public_base(), route.canonical().path())
}

/// Keeps the head in step with the page the app shows: its description (`subject` as for
/// [`Route::description`]) and canonical link.
pub fn show(route: &Route, subject: Option<&str>) {
    set_page_meta(&route.description(subject), &canonical(route));
    show_feeds(feeds::for_route(route).as_ref(), subject);
}

/// What announces a page's feeds: one selector for each format's `<link rel="alternate">`.
const FEED_LINKS: &str = "link[rel=alternate][type=\"application/rss+xml\"],\
     link[rel=alternate][type=\"application/atom+xml\"],\
     link[rel=alternate][type=\"application/feed+json\"]";

/// Replaces the head's feed links with those of `scope` (none: a page without feeds); `name`
/// is a section's name. The server writes the same links into a page's first head
/// (`feeds::links`).
pub fn show_feeds(scope: Option<&Scope>, name: Option<&str>) {
    let doc = document();
    while let Some(old) = doc.query_selector(FEED_LINKS).ok().flatten() {
        old.remove();
    }
    let (Some(scope), Some(head)) = (scope, doc.head()) else {
        return;
    };
    let base = public_base();
    for link in feeds::links(scope, name) {
        let Ok(e) = doc.create_element("link") else {
            return;
        };
        let _ = e.set_attribute("rel", "alternate");
        let _ = e.set_attribute("type", link.media_type);
        let _ = e.set_attribute("href", &format!("{base}{}", link.href));
        let _ = e.set_attribute("title", &link.title);
        let _ = head.append_child(&e);
    }
}

/// Sets `<meta name="description">` and `<link rel="canonical">`, creating them if missing.
fn set_page_meta(description: &str, canonical_url: &str) {
    set_attr(
        "meta[name=description]",
        "meta",
        &[("name", "description")],
        "content",
        description,
    );
    set_attr(
        "link[rel=canonical]",
        "link",
        &[("rel", "canonical")],
        "href",
        canonical_url,
    );
}

fn set_attr(selector: &str, tag: &str, identity: &[(&str, &str)], attr: &str, value: &str) {
    let doc = document();
    let element = match doc.query_selector(selector).ok().flatten() {
        Some(e) => e,
        None => {
            let Ok(e) = doc.create_element(tag) else {
                return;
            };
            for (k, v) in identity {
                let _ = e.set_attribute(k, v);
            }
            if let Some(head) = doc.head() {
                let _ = head.append_child(&e);
            }
            e
        }
    };
    let _ = element.set_attribute(attr, value);
}
