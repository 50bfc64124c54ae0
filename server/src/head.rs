//! The `<head>` of each page the server sends: title, description, canonical link, Open Graph,
//! Twitter card and JSON-LD `NewsArticle`, so link previews and crawlers see the article without
//! running the app. Every value is escaped for where it goes.

use broadsheet::i18n::Messages;
use broadsheet::route::Route;
use broadsheet_model::{Article, Image};
use serde_json::json;

use broadsheet::i18n;

/// Where browsers find the site's OpenSearch description (`<link rel="search">` in
/// `index.html`; served by `web`).
pub const OPENSEARCH_PATH: &str = "/opensearch.xml";

/// The site's language before `--lang` says otherwise: the built `index.html`'s.
pub const DEFAULT_LANG: &str = "en";

/// The id of the built page's `<style>` element (`postbuild/src/styles.rs`), and that of the one a
/// front's page carries in its place ([`Shell::with_fronts_style`]; `postbuild/start.js` looks for
/// it).
const STYLE_ID: &str = "broadsheet-style";
const FRONTS_STYLE_ID: &str = "broadsheet-fronts-style";

/// The built file with the fronts' CSS (`postbuild/src/styles.rs`).
pub const FRONTS_STYLE_FILE: &str = "first-screen-fronts.css";

/// `dist/index.html`, cut around its `<html>` tag and its `<title>`, so the site's language can
/// go on the one and a page's head in place of the other.
#[derive(Clone, Debug)]
pub struct Shell {
    /// Up to the `<html …>` tag (empty when there is none).
    prologue: String,
    /// From after the `<html …>` tag to the title; all of it before the title when there is
    /// no `<html>` tag.
    before: String,
    /// Whether the built file had an `<html>` tag to write the language on.
    has_html_tag: bool,
    /// From the end of the title to the end of the body's built content.
    middle: String,
    /// `</body>` and what follows.
    after: String,
    /// `<html lang="…" dir="…">` and the `broadsheet-lang` meta tag for the site's language.
    html_tag: String,
    lang_meta: String,
    /// The site's catalogue for the app (`broadsheet::i18n`), a JSON data block: not run, so
    /// the content security policy needs no exception for it. Pages without a first screen
    /// carry it (the app starts at once on them).
    messages_script: String,
    /// Where a page with a first screen names the same catalogue as a file of its own
    /// ([`CatalogueFile`]), for the bootstrap to fetch with the app: the page's first response
    /// is then 2-3 KB smaller, which brings a typical article or front within a new
    /// connection's first round trip (`e2e/budget.spec.ts`).
    messages_link: String,
    /// That file.
    catalogue: CatalogueFile,
    /// The built page's `<style>` element, and what the fronts' pages carry in its place
    /// ([`Shell::with_fronts_style`]).
    fronts_style: Option<(String, String)>,
}

/// The site's catalogue as a file of its own, named by its content, so a site restarted in
/// another language names another file and browsers may keep each for good.
#[derive(Clone, Debug, Default)]
pub struct CatalogueFile {
    /// The first 16 hex digits of the SHA-256 of [`CatalogueFile::text`].
    pub digest: String,
    /// Its subresource integrity (`sha384-…`).
    pub integrity: String,
    /// The catalogue, as pages without a first screen carry it inline.
    pub text: String,
}

impl CatalogueFile {
    pub fn of(messages: &Messages) -> CatalogueFile {
        use base64::Engine;
        use sha2::{Digest, Sha256, Sha384};
        let text = messages.catalogue().script_text();
        let digest = Sha256::digest(text.as_bytes())[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let integrity = format!(
            "sha384-{}",
            base64::engine::general_purpose::STANDARD.encode(Sha384::digest(text.as_bytes()))
        );
        CatalogueFile {
            digest,
            integrity,
            text,
        }
    }

    /// Its address from the site's root, where the app's own files are.
    pub fn path(&self) -> String {
        format!("/messages-{}.json", self.digest)
    }
}

impl Shell {
    /// Splits the built `index.html`; `None` if it has no `<title>` to replace. The site's
    /// language is [`DEFAULT_LANG`] until [`Shell::with_lang`].
    pub fn parse(html: &str) -> Option<Shell> {
        let start = html.find("<title>")?;
        let end = html[start..].find("</title>")? + start + "</title>".len();
        let body_end = html
            .rfind("</body>")
            .filter(|&i| i >= end)
            .unwrap_or(html.len());
        let tag = html[..start].find("<html").and_then(|open| {
            let close = html[open..start].find('>')? + open + 1;
            Some((open, close))
        });
        let (prologue, before) = match tag {
            Some((open, close)) => (&html[..open], &html[close..start]),
            None => ("", &html[..start]),
        };
        let shell = Shell {
            prologue: prologue.to_owned(),
            before: before.to_owned(),
            has_html_tag: tag.is_some(),
            middle: html[end..body_end].to_owned(),
            after: html[body_end..].to_owned(),
            html_tag: String::new(),
            lang_meta: String::new(),
            messages_script: String::new(),
            messages_link: String::new(),
            catalogue: CatalogueFile::default(),
            fronts_style: None,
        };
        Some(shell.with_lang(DEFAULT_LANG))
    }

    /// The same shell for a site in `lang` (a valid BCP 47 tag, `--lang`): `<html lang dir>`,
    /// which the server's first screen and the app both sit in, and
    /// `<meta name="broadsheet-lang">`, which the app reads as it reads `broadsheet-api`.
    pub fn with_lang(mut self, lang: &str) -> Shell {
        let lang = escape(lang);
        let dir = broadsheet_model::direction(&lang).as_str();
        self.html_tag = format!(r#"<html lang="{lang}" dir="{dir}">"#);
        self.lang_meta = format!(r#"<meta name="broadsheet-lang" content="{lang}" />"#);
        self
    }

    /// The same shell carrying `messages`, the site's catalogue: for the app to read, and for
    /// the `<noscript>` note.
    pub fn with_messages(mut self, messages: &Messages) -> Shell {
        let catalogue = CatalogueFile::of(messages);
        self.messages_script = format!(
            r#"<script type="application/json" id="{}">{}</script>"#,
            broadsheet::i18n::MESSAGES_ID,
            catalogue.text
        );
        // Relative, as the bootstrap resolves it against the app's own files.
        self.messages_link = format!(
            r#"<meta name="{}" content="{}" data-integrity="{}">"#,
            broadsheet::i18n::MESSAGES_ID,
            &catalogue.path()[1..],
            catalogue.integrity
        );
        self.catalogue = catalogue;
        // The built file's English defaults (its HTML minified by Trunk, so attributes may be
        // unquoted): the search link's title, the site's name; the note for readers without
        // scripts.
        let name = escape(&messages.fill("site.name", &[]));
        for part in [&mut self.before, &mut self.middle] {
            let found = part.match_indices("<link").map(|(i, _)| i).find(|&i| {
                part[i..]
                    .split('>')
                    .next()
                    .is_some_and(|t| t.contains("opensearch"))
            });
            if let Some(open) = found {
                let close = part[open..].find('>').map_or(part.len(), |c| open + c + 1);
                let tag = format!(
                    r#"<link rel="search" type="application/opensearchdescription+xml" title="{name}" href="{OPENSEARCH_PATH}">"#
                );
                part.replace_range(open..close, &tag);
            }
        }
        let note = escape(&messages.fill("site.noscript", &[]));
        for marker in [r#"<p class="noscript">"#, "<p class=noscript>"] {
            if let Some(open) = self.middle.find(marker) {
                let text = open + marker.len();
                if let Some(close) = self.middle[text..].find("</p>") {
                    self.middle.replace_range(text..text + close, &note);
                }
            }
        }
        self
    }

    /// The same shell whose fronts' pages (`Route::is_front`, with their first screen) carry
    /// `css` (the build's `first-screen-fronts.css`: the site's CSS without what only article
    /// pages use) in place of the whole. The app adds the whole once the reader asks for it
    /// (`postbuild/start.js`, which knows the page by the element's id). Unchanged if the built
    /// page has no `<style id=broadsheet-style>`.
    pub fn with_fronts_style(mut self, css: &str) -> Shell {
        let open = format!("<style id={STYLE_ID}>");
        self.fronts_style = [&self.before, &self.middle].into_iter().find_map(|part| {
            let start = part.find(&open)?;
            let end = part[start..].find("</style>")? + start + "</style>".len();
            let whole = part[start..end].to_owned();
            Some((whole, format!("<style id={FRONTS_STYLE_ID}>{css}</style>")))
        });
        self
    }

    /// The catalogue the pages carry or name.
    pub fn catalogue(&self) -> &CatalogueFile {
        &self.catalogue
    }

    /// The page with `head` where the title was and `body` at the end of the body. A page with a
    /// first screen (`body` not empty) is painted once it has arrived up to its footer
    /// ([`broadsheet::render::paint_whole`]) and names its catalogue instead of carrying it;
    /// a front's (`front`) carries the fronts' CSS ([`Shell::with_fronts_style`]).
    pub fn render(&self, head: &str, body: &str, front: bool) -> String {
        let mut page = String::with_capacity(
            self.prologue.len()
                + self.html_tag.len()
                + self.before.len()
                + self.lang_meta.len()
                + self.messages_script.len()
                + self.messages_link.len()
                + head.len()
                + self.middle.len()
                + body.len()
                + self.after.len(),
        );
        page.push_str(&self.prologue);
        if self.has_html_tag {
            page.push_str(&self.html_tag);
        }
        let style = self
            .fronts_style
            .as_ref()
            .filter(|_| front && !body.is_empty());
        let with_style = |page: &mut String, part: &str| match style {
            Some((whole, fronts)) => page.push_str(&part.replacen(whole.as_str(), fronts, 1)),
            None => page.push_str(part),
        };
        with_style(&mut page, &self.before);
        page.push_str(head);
        if !body.is_empty() {
            page.push_str(&broadsheet::render::paint_whole());
        }
        page.push_str(&self.lang_meta);
        page.push_str(if body.is_empty() {
            &self.messages_script
        } else {
            &self.messages_link
        });
        with_style(&mut page, &self.middle);
        page.push_str(body);
        page.push_str(&self.after);
        page
    }
}

/// Escapes text for an HTML attribute value in double quotes, or for element text.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON that is safe inside a `<script>` element: no `<`, `>` or `&` (so no `</script>` or `<!--`),
/// and no line separators that older parsers choke on.
pub fn script_json(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

fn absolute(base: &str, src: &str) -> String {
    if src.starts_with('/') && !src.starts_with("//") {
        format!("{base}{src}")
    } else {
        src.to_owned()
    }
}

struct Head {
    out: String,
}

impl Head {
    fn new(title: &str, description: &str, canonical: &str, base: &str) -> Head {
        let mut head = Head { out: String::new() };
        head.out
            .push_str(&format!("<title>{}</title>", escape(title)));
        head.meta("name", "description", description);
        head.out.push_str(&format!(
            "<link rel=\"canonical\" href=\"{}\">",
            escape(canonical)
        ));
        head.meta("name", "broadsheet-public-url", base);
        head.meta("property", "og:site_name", &i18n::t("site.name"));
        head.meta("property", "og:url", canonical);
        head.meta("property", "og:description", description);
        head.meta("name", "twitter:description", description);
        head
    }

    fn meta(&mut self, key: &str, name: &str, content: &str) {
        self.out.push_str(&format!(
            "<meta {key}=\"{name}\" content=\"{}\">",
            escape(content)
        ));
    }

    fn image(&mut self, base: &str, image: &Image) {
        let src = absolute(base, &image.src);
        self.meta("property", "og:image", &src);
        self.meta("property", "og:image:width", &image.width.to_string());
        self.meta("property", "og:image:height", &image.height.to_string());
        self.meta("property", "og:image:alt", &image.alt);
        self.meta("name", "twitter:image", &src);
        self.meta("name", "twitter:image:alt", &image.alt);
    }
}

/// The address of an article's page.
fn article_url(base: &str, a: &Article) -> String {
    format!("{base}{}", Route::article(a.slug.clone()).path())
}

/// The head of an article page.
pub fn article(a: &Article, base: &str) -> String {
    let canonical = article_url(base, a);
    let description = a.description(200);
    let title = i18n::fill("site.page_title", &[("title", &a.headline)]);
    let mut head = Head::new(&title, &description, &canonical, base);
    head.meta("property", "og:type", "article");
    head.meta("property", "og:title", &a.headline);
    head.meta("name", "twitter:title", &a.headline);
    head.meta(
        "name",
        "twitter:card",
        if a.image.is_some() {
            "summary_large_image"
        } else {
            "summary"
        },
    );
    if let Some(image) = &a.image {
        head.image(base, image);
    }
    head.meta(
        "property",
        "article:published_time",
        &a.published_at.to_rfc3339(),
    );
    if let Some(updated) = a.updated_at {
        head.meta("property", "article:modified_time", &updated.to_rfc3339());
    }
    head.meta("property", "article:section", &a.section.name);
    for tag in &a.tags {
        head.meta("property", "article:tag", tag);
    }
    head.out.push_str(&format!(
        "<link rel=\"alternate\" type=\"application/json+oembed\" href=\"{}\" title=\"{}\">",
        escape(&format!(
            "{base}/oembed?url={}&format=json",
            url_component(&canonical)
        )),
        escape(&a.headline)
    ));
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.headline,
        "description": description,
        "datePublished": a.published_at.to_rfc3339(),
        "dateModified": a.updated_at.unwrap_or(a.published_at).to_rfc3339(),
        "articleSection": a.section.name,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "publisher": {"@type": "Organization", "name": i18n::t("site.name"), "url": base},
    });
    if let Some(byline) = &a.byline {
        ld["author"] = json!([{"@type": "Person", "name": byline.name}]);
    }
    if let Some(image) = &a.image {
        ld["image"] = json!([{
            "@type": "ImageObject",
            "url": absolute(base, &image.src),
            "width": image.width,
            "height": image.height,
        }]);
    }
    head.out.push_str(&format!(
        "<script type=\"application/ld+json\">{}</script>",
        script_json(&ld)
    ));
    head.out
}

/// The head of any other page: the site's defaults with this page's title and address.
pub fn page(title: Option<&str>, description: &str, path: &str, base: &str, index: bool) -> String {
    let site = i18n::t("site.name");
    let full_title = match title {
        Some(t) => i18n::fill("site.page_title", &[("title", t)]),
        None => site.clone(),
    };
    let canonical = format!("{base}{path}");
    let mut head = Head::new(&full_title, description, &canonical, base);
    head.meta("property", "og:type", "website");
    head.meta("property", "og:title", title.unwrap_or(&site));
    head.meta("name", "twitter:title", title.unwrap_or(&site));
    head.meta("name", "twitter:card", "summary");
    if !index {
        head.meta("name", "robots", "noindex");
    }
    head.out
}

/// The head of an article's embed page: its title and description, pointing at the article
/// itself as the canonical page, and kept out of search indexes.
pub fn embed(a: &Article, base: &str) -> String {
    let canonical = article_url(base, a);
    let title = i18n::fill("site.page_title", &[("title", &a.headline)]);
    let mut head = Head::new(&title, &a.description(200), &canonical, base);
    head.meta("name", "robots", "noindex");
    head.out
}

/// A `<link rel="alternate">` for each of a page's feeds (`broadsheet::feeds`), so feed readers
/// and browsers find them: the home page's and a section front's (through
/// [`broadsheet::feeds::for_route`]), a tag page's (`Scope::Tag`). `name` is a section's name.
pub fn feed_links(scope: &broadsheet::feeds::Scope, name: Option<&str>, base: &str) -> String {
    broadsheet::feeds::links(scope, name)
        .into_iter()
        .map(|link| {
            format!(
                "<link rel=\"alternate\" type=\"{}\" href=\"{}\" title=\"{}\">",
                link.media_type,
                escape(&format!("{base}{}", link.href)),
                escape(&link.title)
            )
        })
        .collect()
}

fn url_component(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUILT: &str = "<!doctype html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\" />\n    <title>Broadsheet</title>\n  </head>\n  <body><noscript>n</noscript></body>\n</html>";

    #[test]
    fn the_shell_carries_the_sites_language_and_direction() {
        let shell = Shell::parse(BUILT).expect("has a title");
        let page = shell.render("<title>T</title>", "<main>m</main>", false);
        assert!(
            page.starts_with("<!doctype html>\n<html lang=\"en\" dir=\"ltr\">\n  <head>"),
            "{page}"
        );
        assert!(
            page.contains(&format!(
                "<title>T</title>{}<meta name=\"broadsheet-lang\" content=\"en\" />",
                broadsheet::render::paint_whole()
            )),
            "{page}"
        );
        assert!(page.ends_with("<main>m</main></body>\n</html>"), "{page}");

        let page = shell.with_lang("ar").render("<title>T</title>", "", false);
        assert!(page.contains("<html lang=\"ar\" dir=\"rtl\">"), "{page}");
        assert!(page.contains("content=\"ar\""), "{page}");
        assert_eq!(page.matches("<html").count(), 1);
        assert_eq!(page.matches("broadsheet-lang").count(), 1);
    }

    #[test]
    fn a_fronts_page_carries_the_fronts_css_and_no_other_page_does() {
        let built = BUILT.replace(
            "<title>",
            "<style id=broadsheet-style>.a{}.story{}.b{}</style><title>",
        );
        let shell = Shell::parse(&built)
            .expect("has a title")
            .with_fronts_style(".a{}.b{}");
        let front = shell.render("<title>T</title>", "<main>m</main>", true);
        assert!(
            front.contains("<style id=broadsheet-fronts-style>.a{}.b{}</style><title>T"),
            "{front}"
        );
        assert!(!front.contains(".story{}"), "{front}");
        // An article's page, and a front's without its first screen (the app's alone), carry all.
        for page in [
            shell.render("<title>T</title>", "<main>m</main>", false),
            shell.render("<title>T</title>", "", true),
        ] {
            assert!(
                page.contains("<style id=broadsheet-style>.a{}.story{}.b{}</style>"),
                "{page}"
            );
            assert!(!page.contains("fronts-style"), "{page}");
        }
    }

    #[test]
    fn a_shell_without_an_html_tag_still_names_the_language() {
        let shell = Shell::parse("<title>B</title><body></body>").expect("has a title");
        let page = shell.with_lang("ko").render("<title>T</title>", "x", false);
        assert_eq!(
            page,
            format!(
                "<title>T</title>{}<meta name=\"broadsheet-lang\" content=\"ko\" /><body>x</body>",
                broadsheet::render::paint_whole()
            )
        );
    }
}
