//! Writing sitemaps (<https://www.sitemaps.org/protocol.html>) and the Google News sitemap
//! with quick-xml's writer, which escapes every text it is given.

use broadsheet::i18n;
use broadsheet::route::Route;
use broadsheet_model::Section;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::store::{NewsEntry, SitemapEntry, SitemapPart};

/// The sitemap protocol's namespace.
pub const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
/// Google News' sitemap namespace.
pub const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";

/// A time in Unix seconds as the W3C datetime sitemaps use (RFC 3339, UTC).
fn w3c(seconds: i64) -> String {
    OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

/// A document under construction. Writing into a `Vec` cannot fail, so the writer's results
/// are dropped.
struct Doc {
    w: Writer<Vec<u8>>,
}

impl Doc {
    fn new(capacity: usize, root: &str, namespaces: &[(&str, &str)]) -> Doc {
        let mut w = Writer::new(Vec::with_capacity(capacity));
        let _ = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        let mut start = BytesStart::new(root);
        for attr in namespaces {
            start.push_attribute(*attr);
        }
        let _ = w.write_event(Event::Start(start));
        Doc { w }
    }

    fn open(&mut self, name: &str) {
        let _ = self.w.write_event(Event::Start(BytesStart::new(name)));
    }

    fn close(&mut self, name: &str) {
        let _ = self.w.write_event(Event::End(BytesEnd::new(name)));
    }

    fn text(&mut self, name: &str, text: &str) {
        self.open(name);
        let _ = self.w.write_event(Event::Text(BytesText::new(text)));
        self.close(name);
    }

    fn finish(mut self, root: &str) -> Vec<u8> {
        self.close(root);
        self.w.into_inner()
    }
}

/// `/sitemap.xml`: the section fronts' sitemap, then each article sitemap with its latest
/// change.
pub fn index(base: &str, parts: &[SitemapPart]) -> Vec<u8> {
    let mut doc = Doc::new(256 + parts.len() * 128, "sitemapindex", &[("xmlns", NS)]);
    doc.open("sitemap");
    doc.text("loc", &format!("{base}/sitemaps/sections.xml"));
    doc.close("sitemap");
    for part in parts {
        doc.open("sitemap");
        doc.text(
            "loc",
            &format!("{base}/sitemaps/articles-{}.xml", part.number),
        );
        doc.text("lastmod", &w3c(part.modified_at));
        doc.close("sitemap");
    }
    doc.finish("sitemapindex")
}

/// `/sitemaps/sections.xml`: the home page and every section front.
pub fn sections(base: &str, sections: &[Section]) -> Vec<u8> {
    let mut doc = Doc::new(256 + sections.len() * 96, "urlset", &[("xmlns", NS)]);
    let pages =
        std::iter::once(Route::Home).chain(sections.iter().map(|s| Route::section(s.slug.clone())));
    for page in pages {
        doc.open("url");
        doc.text("loc", &format!("{base}{}", page.path()));
        doc.close("url");
    }
    doc.finish("urlset")
}

/// `/sitemaps/articles-{n}.xml`: each article's page and its last change.
pub fn articles(base: &str, entries: &[SitemapEntry]) -> Vec<u8> {
    let mut doc = Doc::new(
        128 + entries.len() * (base.len() + 110),
        "urlset",
        &[("xmlns", NS)],
    );
    for e in entries {
        doc.open("url");
        doc.text("loc", &format!("{base}/article/{}", e.slug));
        doc.text("lastmod", &w3c(e.modified_at));
        doc.close("url");
    }
    doc.finish("urlset")
}

/// `/sitemaps/news.xml`: the articles of the last two days, as Google News reads them.
pub fn news(base: &str, entries: &[NewsEntry]) -> Vec<u8> {
    let mut doc = Doc::new(
        256 + entries.len() * 400,
        "urlset",
        &[("xmlns", NS), ("xmlns:news", NEWS_NS)],
    );
    let (site, language) = (i18n::t("site.name"), i18n::lang());
    for e in entries {
        doc.open("url");
        doc.text("loc", &format!("{base}/article/{}", e.slug));
        doc.open("news:news");
        doc.open("news:publication");
        doc.text("news:name", &site);
        doc.text("news:language", &language);
        doc.close("news:publication");
        doc.text("news:publication_date", &w3c(e.published_at));
        doc.text("news:title", &e.headline);
        doc.close("news:news");
        doc.close("url");
    }
    doc.finish("urlset")
}
