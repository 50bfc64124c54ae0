//! What every format reads an item into ([`Draft`]), and how a draft becomes an article: the
//! headline, standfirst, byline, dates, tags, section, source and a stable slug.

use broadsheet_model::{Article, Block, Body, Byline, Image, Section};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::html::{cut, normalise};

/// One item of a feed, read but not yet checked. Texts are plain text (HTML already read).
#[derive(Clone, Debug, Default)]
pub struct Draft {
    /// Its guid / id / uri: what makes it the same item in the next copy of the feed.
    pub id: String,
    /// Its own address.
    pub link: Option<String>,
    pub headline: String,
    pub standfirst: Option<String>,
    pub body: Vec<Block>,
    pub byline: Option<Byline>,
    pub published: Option<OffsetDateTime>,
    pub updated: Option<OffsetDateTime>,
    pub categories: Vec<String>,
    pub image: Option<Image>,
    /// A slug the source chose (WordPress's `slug`, ninjs's `slugline`).
    pub slug_hint: Option<String>,
    /// Who the item names as its source (ninjs's `copyrightholder`), where the document has
    /// no title of its own.
    pub source: Option<String>,
    /// The item's own language as the source wrote it (Atom's `xml:lang` on the entry's content, ninjs's
    /// `language`, a WordPress multilingual plugin's field); else the document's.
    pub lang: Option<String>,
}

/// A document read by its format: the items (or why each could not be read) and the
/// document's own title.
#[derive(Debug, Default)]
pub struct Document {
    pub title: Option<String>,
    /// The feed's own address or id, which qualifies its items' ids in their slugs.
    pub site: String,
    /// The document's own date (a channel's `pubDate`, a feed's `updated`): an item whose date
    /// cannot be read takes it (NBC New York writes `Sat, Dec 16 2023 02:02:33 PM`).
    pub date: Option<OffsetDateTime>,
    /// The document's language (RSS's `<language>`, Atom's `xml:lang` on the feed, JSON Feed's
    /// `language`): every item that names none of its own is in it.
    pub lang: Option<String>,
    pub items: Vec<Result<Draft, String>>,
}

/// What the command line (or a followed feed's entry) adds to every item.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The section every item goes to.
    pub section: Option<String>,
    /// The source named on every item (otherwise the feed's title).
    pub source: Option<String>,
}

/// Where items go when neither `--section` nor a category names a section.
pub const DEFAULT_SECTION: (&str, &str) = ("news", "News");

/// Turns a draft into an article that passes the contract's rules, or says why it cannot be one.
pub fn to_article(
    draft: Draft,
    doc: &Document,
    options: &Options,
    sections: &[Section],
) -> Result<Article, String> {
    let headline = normalise(&draft.headline);
    if headline.is_empty() {
        return Err("it has no title".to_owned());
    }
    let mut standfirst = draft
        .standfirst
        .map(|s| normalise(&s))
        .filter(|s| !s.is_empty());
    let mut body = draft.body;
    if body.is_empty() {
        match standfirst.take() {
            Some(text) => body.push(Block::Paragraph {
                text: cut(&text, 10_000),
                runs: Vec::new(),
            }),
            None => return Err("it has no text".to_owned()),
        }
    }
    // A summary that is only the start of the body (WordPress's automatic excerpt, many RSS
    // descriptions) says nothing new.
    if standfirst
        .as_deref()
        .is_some_and(|s| repeats_body(s, &body))
    {
        standfirst = None;
    }
    // Bodies often open with the headline again (WordPress themes, ninjs HTML bodies).
    if matches!(body.first(), Some(Block::Heading { text }) if normalise(text).eq_ignore_ascii_case(&headline))
    {
        body.remove(0);
    }
    let Some(published) = draft.published.or(draft.updated).or(doc.date) else {
        return Err("it has no publication date".to_owned());
    };
    let updated = draft.updated.filter(|u| *u > published);
    let image = draft.image;
    // The lead image is not shown a second time in the body.
    if let Some(lead) = &image {
        body.retain(|b| !matches!(b, Block::Image(i) if i.src == lead.src));
    }
    if body.is_empty() {
        return Err("it has no text".to_owned());
    }
    let section = section_for(options, &draft.categories, sections);
    let mut tags: Vec<String> = Vec::new();
    for c in &draft.categories {
        let tag = cut(&normalise(c), 60);
        if !tag.is_empty() && !tags.iter().any(|t| t.eq_ignore_ascii_case(&tag)) {
            tags.push(tag);
        }
    }
    tags.truncate(12);
    let source = options
        .source
        .clone()
        .or(draft.source)
        .or_else(|| doc.title.clone())
        .map(|s| cut(&normalise(&s), 120))
        .filter(|s| !s.is_empty());
    let byline = draft.byline.and_then(|b| {
        let name = cut(&normalise(&b.name), 120);
        let email = b.email.filter(|e| {
            e.split_once('@')
                .is_some_and(|(u, h)| !u.is_empty() && h.contains('.'))
                && !e.contains(char::is_whitespace)
        });
        (!name.is_empty()).then_some(Byline { name, email })
    });
    let slug = slug_for(
        &doc.site,
        &draft.id,
        draft.link.as_deref(),
        draft.slug_hint.as_deref(),
        &headline,
    );
    let article = Article {
        slug,
        section,
        headline: cut(&headline, 300),
        standfirst: standfirst.map(|s| cut(&s, 600)),
        byline,
        source,
        published_at: published.into(),
        updated_at: updated.map(Into::into),
        views: 0,
        comment_count: 0,
        image,
        body: Body::from(body),
        tags,
        editors_pick: false,
        lang: draft
            .lang
            .as_deref()
            .and_then(lang_tag)
            .or_else(|| doc.lang.as_deref().and_then(lang_tag)),
    };
    let problems = article.validate();
    if problems.is_empty() {
        Ok(article)
    } else {
        let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
        Err(format!("it breaks the article rules: {}", list.join("; ")))
    }
}

/// A source's language as a BCP 47 tag: trimmed, with POSIX-style underscores ("en_US", as
/// WordPress writes locales) made hyphens. A value that is no language tag ("English") is
/// dropped: the article then takes the site's language, and the item is still imported.
pub fn lang_tag(raw: &str) -> Option<String> {
    let tag = raw.trim().replace('_', "-");
    broadsheet_model::is_valid_lang(&tag).then_some(tag)
}

/// Whether `summary` is the body's own beginning, perhaps cut short with an ellipsis.
fn repeats_body(summary: &str, body: &[Block]) -> bool {
    let summary = normalise(summary);
    let mut stem = summary.as_str();
    let mut cut_short = false;
    for tail in ["[…]", "[...]", "…", "..."] {
        if let Some(s) = stem.strip_suffix(tail) {
            stem = s.trim_end();
            cut_short = true;
        }
    }
    // The word before an ellipsis may be cut in the middle.
    if cut_short && let Some((head, _)) = stem.rsplit_once(' ') {
        stem = head;
    }
    if stem.chars().count() < 20 {
        return false;
    }
    let mut start = String::new();
    for block in body {
        match block {
            Block::Paragraph { text, .. } | Block::Heading { text } => {
                start.push_str(text);
                start.push(' ');
            }
            _ => {}
        }
        if start.len() > stem.len() + 1 {
            break;
        }
    }
    normalise(&start).starts_with(stem)
}

/// `--section`, or the first category that names a section the site has, or "news".
fn section_for(options: &Options, categories: &[String], sections: &[Section]) -> Section {
    let known = |slug: &str| sections.iter().find(|s| s.slug == slug).cloned();
    if let Some(slug) = &options.section {
        return known(slug).unwrap_or_else(|| Section {
            slug: slug.clone(),
            name: title_case(slug),
        });
    }
    for c in categories {
        let c = normalise(c);
        let found = sections
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(&c) || s.slug == slugify(&c));
        if let Some(s) = found {
            return s.clone();
        }
    }
    known(DEFAULT_SECTION.0).unwrap_or_else(|| Section {
        slug: DEFAULT_SECTION.0.to_owned(),
        name: DEFAULT_SECTION.1.to_owned(),
    })
}

fn title_case(slug: &str) -> String {
    slug.split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A slug that stays the same for the same item: readable words (the source's own slug, the
/// last part of the item's address when it is made of words, or else the headline) and eight
/// hex digits of a hash of the feed and the item's id. The words come from the headline only
/// when nothing steadier exists, so an edited headline keeps its article in most feeds; two
/// items with one headline differ in their hash.
pub fn slug_for(
    site: &str,
    id: &str,
    link: Option<&str>,
    hint: Option<&str>,
    headline: &str,
) -> String {
    let key = if !id.is_empty() {
        id
    } else {
        link.unwrap_or(headline)
    };
    let hash = Sha256::digest(format!("{site}\n{key}").as_bytes());
    let hex: String = hash.iter().take(4).map(|b| format!("{b:02x}")).collect();
    let from_link = link.and_then(|l| {
        let url = url::Url::parse(l).ok()?;
        let last = url.path_segments()?.rev().find(|s| !s.is_empty())?;
        let last = last.rsplit_once('.').map_or(last, |(stem, _)| stem);
        let words = slugify(&decode_percent(last));
        (words.contains('-') && words.chars().any(|c| c.is_ascii_alphabetic())).then_some(words)
    });
    let words = hint
        .map(|h| slugify(&decode_percent(h)))
        .filter(|w| !w.is_empty())
        .or(from_link)
        .unwrap_or_else(|| slugify(headline));
    let words = shorten(&words, 60);
    if words.is_empty() {
        format!("item-{hex}")
    } else {
        format!("{words}-{hex}")
    }
}

fn decode_percent(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Lower-case ASCII letters and digits, everything else one hyphen. Letters with accents lose
/// them (é → e); other scripts leave no words (the hash still makes the slug).
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        'ß' => 's',
        _ => c,
    }
}

/// At most `max` characters, cut at a hyphen.
fn shorten(words: &str, max: usize) -> String {
    if words.len() <= max {
        return words.to_owned();
    }
    let cut = &words[..max];
    match cut.rfind('-') {
        Some(i) if i > 0 => cut[..i].to_owned(),
        _ => cut.trim_end_matches('-').to_owned(),
    }
}

/// chrono's time (what feed-rs gives) as `time`'s: the same instant.
pub fn from_chrono(t: chrono::DateTime<chrono::Utc>) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(
        i128::from(t.timestamp()) * 1_000_000_000 + i128::from(t.timestamp_subsec_nanos()),
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_that_repeats_the_body_is_seen() {
        let p = |t: &str| Block::Paragraph {
            text: t.into(),
            runs: Vec::new(),
        };
        let body = [
            Block::Heading {
                text: "Attacks getting worse".into(),
            },
            p("The governor, Kashim\u{a0}Shettima, raised an alarm."),
            p("Speaking at a meeting, he said more."),
        ];
        assert!(repeats_body(
            "Attacks getting worse The governor, Kashim Shettima, raised an alarm. Speaki…",
            &body
        ));
        assert!(repeats_body(
            "Attacks getting worse The governor [...]",
            &body
        ));
        assert!(!repeats_body(
            "A different summary of the story entirely.",
            &body
        ));
    }

    #[test]
    fn slugs_are_stable_readable_and_distinct() {
        let a = slug_for("https://x.example", "guid-1", None, None, "Rain in Spain");
        assert_eq!(
            a,
            slug_for("https://x.example", "guid-1", None, None, "Rain in Spain")
        );
        assert!(a.starts_with("rain-in-spain-") && a.len() == "rain-in-spain-".len() + 8);
        let b = slug_for("https://x.example", "guid-2", None, None, "Rain in Spain");
        assert_ne!(a, b);
        let linked = slug_for(
            "s",
            "1",
            Some("https://x.example/2026/12/storm-hits-the-coast.html"),
            None,
            "Storm hits",
        );
        assert!(linked.starts_with("storm-hits-the-coast-"), "{linked}");
        assert!(slug_for("s", "1", None, None, "한국어 제목").starts_with("item-"));
        assert!(broadsheet_model::is_valid_slug(&slug_for(
            "s",
            "1",
            None,
            Some("%ed%95%9c-caf%c3%a9"),
            "x"
        )));
        assert_eq!(slugify("Café au lait — 2026!"), "cafe-au-lait-2026");
    }
}
