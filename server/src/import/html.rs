//! HTML from a feed → typed body blocks. The HTML is parsed by html5ever (through `scraper`),
//! the way a browser would parse it, and then only read: paragraphs with runs (bold, italic,
//! links to http, https and mailto), headings, quotes with their cite, images with alt and
//! caption, and lists come out; everything else is either text where it was text (unknown and
//! presentational elements are unwrapped) or dropped and counted (scripts, styles, frames,
//! forms, media players, event handlers, unsafe link targets). No markup survives: a block holds
//! text, and the parser has decoded every entity exactly once.

use std::collections::BTreeMap;

use broadsheet_model::{Block, Image, Run, safe_href};
use ego_tree::NodeRef;
use scraper::{Html, Node};
use url::Url;

/// Elements dropped with everything inside them: what they hold is code, a player's fallback or
/// a form, never the article's text.
const DROPPED: [&str; 31] = [
    "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed",
    "applet", "svg", "math", "canvas", "audio", "video", "form", "input", "button", "select",
    "textarea", "link", "meta", "base", "head", "title", "source", "track", "param", "dialog",
    "map", "portal",
];

/// Elements that end a paragraph and hold blocks of their own.
const CONTAINERS: [&str; 26] = [
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "address",
    "center", "details", "summary", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr",
    "caption", "fieldset", "legend", "pre", "li",
];

/// Deeper than this the markup is read as plain text: the walk is recursive, and a hostile
/// document may nest elements as deep as it likes.
const MAX_DEPTH: usize = 200;

/// The longest paragraph, quote, heading and list item the contract accepts
/// (`Article::validate`); longer text is cut at a word.
const PARAGRAPH_MAX: usize = 10_000;
const QUOTE_MAX: usize = 2_000;
const HEADING_MAX: usize = 300;
const ITEM_MAX: usize = 2_000;
const ALT_MAX: usize = 500;

/// An image without a declared size is given this frame (16:9) and marked `framed`: the page
/// reserves the frame and fits the picture inside it, so nothing moves when it loads.
pub const FRAME_WIDTH: u32 = 1600;
pub const FRAME_HEIGHT: u32 = 900;

/// An image's size as `(width, height, framed)`: the declared one when both sides are given,
/// else the 16:9 frame above, marked `framed`.
pub fn size_or_frame(width: Option<u32>, height: Option<u32>) -> (u32, u32, bool) {
    match (width, height) {
        (Some(w), Some(h)) if w > 0 && h > 0 => (w, h, false),
        _ => (FRAME_WIDTH, FRAME_HEIGHT, true),
    }
}

/// What was left out of the HTML, by kind ("<script>", "event handler attribute"…), for the
/// import report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dropped(pub BTreeMap<String, usize>);

impl Dropped {
    pub fn add(&mut self, kind: impl Into<String>, n: usize) {
        if n > 0 {
            *self.0.entry(kind.into()).or_default() += n;
        }
    }

    pub fn merge(&mut self, other: Dropped) {
        for (kind, n) in other.0 {
            self.add(kind, n);
        }
    }

    pub fn total(&self) -> usize {
        self.0.values().sum()
    }
}

/// Converts an HTML fragment to blocks. Relative link and image addresses are resolved against
/// `base` (the item's own address), or dropped without one.
pub fn to_blocks(html: &str, base: Option<&Url>, dropped: &mut Dropped) -> Vec<Block> {
    let doc = Html::parse_fragment(html);
    let mut walker = Walker {
        base,
        blocks: Vec::new(),
        inline: Inline::default(),
        marks: Marks::default(),
        dropped,
    };
    walker.children(doc.tree.root(), 0);
    walker.flush();
    walker.blocks
}

/// The text of an HTML fragment (a title or a summary), in one line.
pub fn to_text(html: &str, dropped: &mut Dropped) -> String {
    let doc = Html::parse_fragment(html);
    let mut out = String::new();
    text_of(doc.tree.root(), &mut out, dropped, None);
    normalise(&out)
}

/// Folds every run of white space into one space and trims the ends.
pub fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cuts `text` to at most `max` characters, at a word where there is one, ending with "…".
pub fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut kept: String = text.chars().take(max.saturating_sub(1)).collect();
    if let Some(space) = kept.rfind(' ')
        && space > kept.len() / 2
    {
        kept.truncate(space);
    }
    kept.push('…');
    kept
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Marks {
    bold: bool,
    italic: bool,
    link: Option<String>,
}

/// A paragraph being gathered: its runs, with white space folded across their edges.
#[derive(Default)]
struct Inline {
    runs: Vec<Run>,
}

impl Inline {
    fn push(&mut self, text: &str, marks: &Marks) {
        let mut folded = String::with_capacity(text.len());
        let mut space = self.ends_in_space();
        for c in text.chars() {
            if c.is_whitespace() && c != '\u{a0}' {
                if !space {
                    folded.push(' ');
                    space = true;
                }
            } else {
                folded.push(c);
                space = false;
            }
        }
        if folded.is_empty() {
            return;
        }
        match self.runs.last_mut() {
            Some(last)
                if last.bold == marks.bold
                    && last.italic == marks.italic
                    && last.link == marks.link =>
            {
                last.text.push_str(&folded)
            }
            _ => self.runs.push(Run {
                text: folded,
                bold: marks.bold,
                italic: marks.italic,
                link: marks.link.clone(),
            }),
        }
    }

    /// True at the start too, so leading white space is never kept.
    fn ends_in_space(&self) -> bool {
        self.runs.last().is_none_or(|r| r.text.ends_with(' '))
    }

    /// The paragraph, if it has any text: trimmed, empty runs gone, and plain text alone
    /// without runs.
    fn take(&mut self) -> Option<(String, Vec<Run>)> {
        let mut runs = std::mem::take(&mut self.runs);
        if let Some(last) = runs.last_mut() {
            let trimmed = last.text.trim_end().len();
            last.text.truncate(trimmed);
        }
        runs.retain(|r| !r.text.is_empty());
        // A run that is only a space carries no mark worth keeping.
        for run in &mut runs {
            if run.text.trim().is_empty() {
                run.bold = false;
                run.italic = false;
                run.link = None;
            }
        }
        runs.dedup_by(|next, prev| {
            let same =
                prev.bold == next.bold && prev.italic == next.italic && prev.link == next.link;
            if same {
                prev.text.push_str(&next.text);
            }
            same
        });
        let text: String = runs.iter().map(|r| r.text.as_str()).collect();
        if text.trim().is_empty() {
            return None;
        }
        let plain = runs
            .iter()
            .all(|r| !r.bold && !r.italic && r.link.is_none());
        Some((text, if plain { Vec::new() } else { runs }))
    }
}

struct Walker<'a> {
    base: Option<&'a Url>,
    blocks: Vec<Block>,
    inline: Inline,
    marks: Marks,
    dropped: &'a mut Dropped,
}

impl Walker<'_> {
    fn flush(&mut self) {
        if let Some((text, runs)) = self.inline.take() {
            if text.chars().count() > PARAGRAPH_MAX {
                self.blocks.push(Block::Paragraph {
                    text: cut(&text, PARAGRAPH_MAX),
                    runs: Vec::new(),
                });
                self.dropped.add("over-long paragraph cut", 1);
            } else {
                self.blocks.push(Block::Paragraph { text, runs });
            }
        }
    }

    fn children(&mut self, node: NodeRef<'_, Node>, depth: usize) {
        for child in node.children() {
            self.node(child, depth + 1);
        }
    }

    fn node(&mut self, node: NodeRef<'_, Node>, depth: usize) {
        match node.value() {
            Node::Text(text) => {
                let marks = self.marks.clone();
                self.inline.push(text, &marks);
            }
            Node::Element(el) => {
                count_handlers(el, self.dropped);
                let name = el.name();
                if DROPPED.contains(&name) {
                    self.dropped.add(format!("<{name}>"), 1);
                    return;
                }
                if depth > MAX_DEPTH {
                    let mut text = String::new();
                    text_of(node, &mut text, self.dropped, None);
                    let marks = self.marks.clone();
                    self.inline.push(&text, &marks);
                    return;
                }
                self.element(node, name, depth);
            }
            // Comments, doctypes and processing instructions are not content.
            _ => {}
        }
    }

    fn element(&mut self, node: NodeRef<'_, Node>, name: &str, depth: usize) {
        let Some(el) = node.value().as_element() else {
            return;
        };
        match name {
            "br" => {
                let marks = self.marks.clone();
                self.inline.push(" ", &marks);
            }
            "hr" => self.flush(),
            "td" | "th" => {
                self.children(node, depth);
                let marks = Marks::default();
                self.inline.push(" ", &marks);
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                let text = self.text(node);
                if text.chars().count() > HEADING_MAX {
                    self.blocks.push(Block::Paragraph {
                        text: cut(&text, PARAGRAPH_MAX),
                        runs: Vec::new(),
                    });
                } else if !text.is_empty() {
                    self.blocks.push(Block::Heading { text });
                }
            }
            "blockquote" => {
                self.flush();
                self.quote(node);
            }
            "ul" | "ol" => {
                self.flush();
                self.list(node, name == "ol");
            }
            "img" => {
                if let Some(image) = self.image(el, None) {
                    self.flush();
                    self.blocks.push(Block::Image(image));
                }
            }
            "figure" => self.figure(node, depth),
            "a" => {
                let saved = self.marks.link.clone();
                if let Some(href) = el.attr("href") {
                    match self.link(href) {
                        Some(target) => self.marks.link = Some(target),
                        None => {
                            self.marks.link = None;
                            if !href.trim().starts_with('#') {
                                self.dropped.add("link target not http(s) or mailto", 1);
                            }
                        }
                    }
                }
                self.children(node, depth);
                self.marks.link = saved;
            }
            "b" | "strong" => {
                let saved = self.marks.bold;
                self.marks.bold = true;
                self.children(node, depth);
                self.marks.bold = saved;
            }
            "i" | "em" | "cite" | "dfn" | "var" => {
                let saved = self.marks.italic;
                self.marks.italic = true;
                self.children(node, depth);
                self.marks.italic = saved;
            }
            _ if CONTAINERS.contains(&name) => {
                self.flush();
                self.children(node, depth);
                self.flush();
            }
            // Anything else (span, font, u, small, code, abbr, time, custom elements…) is
            // unwrapped: its text stays where it was.
            _ => self.children(node, depth),
        }
    }

    /// The plain text of an element (dropped elements left out), in one line.
    fn text(&mut self, node: NodeRef<'_, Node>) -> String {
        let mut out = String::new();
        text_of(node, &mut out, self.dropped, None);
        normalise(&out)
    }

    /// The target of a link, if it may be one: http, https and mailto, relative addresses
    /// resolved against the item's own. Anything with another scheme is refused as written, so a
    /// disguised scheme never gets tidied into something that looks harmless.
    fn link(&self, href: &str) -> Option<String> {
        let href = href.trim();
        if href.is_empty() || href.starts_with('#') {
            return None;
        }
        if let Some(target) = safe_href(href) {
            return Some(target);
        }
        match Url::parse(href) {
            Err(url::ParseError::RelativeUrlWithoutBase) => {
                safe_href(self.base?.join(href).ok()?.as_str())
            }
            _ => None,
        }
    }

    /// A blockquote: its text, and its attribution from `<cite>` or `<footer>`. A long quote
    /// of several paragraphs becomes one quote block per paragraph (the contract holds a quote
    /// to 2,000 characters), the attribution on the last.
    fn quote(&mut self, node: NodeRef<'_, Node>) {
        let mut parts: Vec<String> = Vec::new();
        let mut current = String::new();
        let mut cite = String::new();
        for child in node.children() {
            let block = child
                .value()
                .as_element()
                .is_some_and(|e| !is_inline(e.name()) && !matches!(e.name(), "cite" | "footer"));
            if block {
                parts.push(std::mem::take(&mut current));
                let mut text = String::new();
                text_of(child, &mut text, self.dropped, Some(&mut cite));
                parts.push(text);
            } else {
                text_of(child, &mut current, self.dropped, Some(&mut cite));
            }
        }
        parts.push(current);
        let parts: Vec<String> = parts
            .iter()
            .map(|p| normalise(p))
            .filter(|p| !p.is_empty())
            .collect();
        let cite = normalise(&cite);
        let cite = cite.trim_start_matches(['—', '–', '-', ' ']).to_owned();
        let cite = (!cite.is_empty()).then(|| cut(&cite, 200));
        let whole = parts.join(" ");
        if whole.is_empty() {
            return;
        }
        if whole.chars().count() <= QUOTE_MAX {
            self.blocks.push(Block::Quote { text: whole, cite });
            return;
        }
        let last = parts.len() - 1;
        for (i, part) in parts.into_iter().enumerate() {
            self.blocks.push(Block::Quote {
                text: cut(&part, QUOTE_MAX),
                cite: if i == last { cite.clone() } else { None },
            });
        }
    }

    fn list(&mut self, node: NodeRef<'_, Node>, ordered: bool) {
        let mut items = Vec::new();
        for child in node.children() {
            let mut text = String::new();
            match child.value() {
                Node::Element(el) if DROPPED.contains(&el.name()) => {
                    self.dropped.add(format!("<{}>", el.name()), 1);
                    continue;
                }
                Node::Element(_) | Node::Text(_) => text_of(child, &mut text, self.dropped, None),
                _ => continue,
            }
            let text = normalise(&text);
            if !text.is_empty() {
                items.push(cut(&text, ITEM_MAX));
            }
        }
        if !items.is_empty() {
            self.blocks.push(Block::List { ordered, items });
        }
    }

    fn figure(&mut self, node: NodeRef<'_, Node>, depth: usize) {
        let img = node.descendants().find_map(|n| match n.value() {
            Node::Element(el) if el.name() == "img" => Some(el),
            _ => None,
        });
        let caption = node
            .children()
            .find(|n| {
                n.value()
                    .as_element()
                    .is_some_and(|e| e.name() == "figcaption")
            })
            .map(|c| self.text(c))
            .filter(|c| !c.is_empty());
        match img {
            Some(img) => {
                self.flush();
                for n in node.descendants() {
                    if let Node::Element(el) = n.value() {
                        count_handlers(el, self.dropped);
                    }
                }
                if let Some(image) = self.image(img, caption) {
                    self.blocks.push(Block::Image(image));
                }
            }
            // A figure around a quote, a table or an embed: its content, then its caption.
            None => {
                self.flush();
                for child in node.children() {
                    let is_caption = child
                        .value()
                        .as_element()
                        .is_some_and(|e| e.name() == "figcaption");
                    if !is_caption {
                        self.node(child, depth + 1);
                    }
                }
                self.flush();
                if let Some(caption) = caption {
                    self.blocks.push(Block::Paragraph {
                        text: cut(&caption, PARAGRAPH_MAX),
                        runs: Vec::new(),
                    });
                }
            }
        }
    }

    fn image(&mut self, el: &scraper::node::Element, caption: Option<String>) -> Option<Image> {
        // Lazy-loading pages put the real address in data-src and a placeholder in src.
        let raw = [el.attr("src"), el.attr("data-src")]
            .into_iter()
            .flatten()
            .map(str::trim)
            .find(|s| !s.is_empty() && !s.starts_with("data:"));
        let Some(src) = raw.and_then(|s| image_url(s, self.base)) else {
            self.dropped.add("image without a usable address", 1);
            return None;
        };
        let size = |name| {
            el.attr(name)
                .and_then(|v| v.trim().trim_end_matches("px").parse::<u32>().ok())
        };
        let (width, height, framed) = match (size("width"), size("height")) {
            (Some(w), Some(h)) if w <= 2 || h <= 2 => {
                self.dropped.add("tracking pixel", 1);
                return None;
            }
            (Some(w), Some(h)) if w > 0 && h > 0 => (w, h, false),
            _ => (FRAME_WIDTH, FRAME_HEIGHT, true),
        };
        let alt = el.attr("alt").map(normalise).unwrap_or_default();
        let alt = if !alt.is_empty() {
            alt
        } else if let Some(c) = &caption {
            c.clone()
        } else {
            el.attr("title")
                .map(normalise)
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| {
                    // The contract wants words for every image; the feed gave none.
                    "Image".to_owned()
                })
        };
        Some(Image {
            src,
            alt: cut(&alt, ALT_MAX),
            caption,
            credit: None,
            width,
            height,
            framed,
        })
    }
}

/// An image address the page may load: an absolute http(s) URL, relative ones resolved against
/// `base`. A path of our own site is never taken from a feed (it would point at us).
pub fn image_url(src: &str, base: Option<&Url>) -> Option<String> {
    let url = match Url::parse(src) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => base?.join(src).ok()?,
        Err(_) => return None,
    };
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

/// Counts `on…` attributes (event handlers): none is ever kept, the report says how many there
/// were.
fn count_handlers(el: &scraper::node::Element, dropped: &mut Dropped) {
    let n = el
        .attrs()
        .filter(|(name, _)| {
            name.len() > 2 && name.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("on"))
        })
        .count();
    dropped.add("event handler attribute", n);
}

/// Appends the text under `node` to `out`, leaving dropped elements out (and counting them);
/// blocks are separated by a space. With `cite`, the text of `<cite>` and `<footer>` goes
/// there instead (a quote's attribution).
///
/// Iterative, so any depth of nesting is read without recursion.
fn text_of(
    node: NodeRef<'_, Node>,
    out: &mut String,
    dropped: &mut Dropped,
    mut cite: Option<&mut String>,
) {
    let mut skip_until: Option<ego_tree::NodeId> = None;
    let mut cite_until: Option<ego_tree::NodeId> = None;
    for edge in node.traverse() {
        match edge {
            ego_tree::iter::Edge::Open(n) => {
                if skip_until.is_some() {
                    continue;
                }
                match n.value() {
                    Node::Text(t) => match (&mut cite, cite_until) {
                        (Some(c), Some(_)) => c.push_str(t),
                        _ => out.push_str(t),
                    },
                    Node::Element(el) => {
                        count_handlers(el, dropped);
                        let name = el.name();
                        if DROPPED.contains(&name) {
                            dropped.add(format!("<{name}>"), 1);
                            skip_until = Some(n.id());
                        } else if cite.is_some()
                            && cite_until.is_none()
                            && matches!(name, "cite" | "footer")
                        {
                            cite_until = Some(n.id());
                        } else if !is_inline(name) {
                            out.push(' ');
                        }
                    }
                    _ => {}
                }
            }
            ego_tree::iter::Edge::Close(n) => {
                if skip_until == Some(n.id()) {
                    skip_until = None;
                } else if cite_until == Some(n.id()) {
                    cite_until = None;
                    if let Some(c) = cite.as_deref_mut() {
                        c.push(' ');
                    }
                } else if skip_until.is_none()
                    && n.value().as_element().is_some_and(|e| !is_inline(e.name()))
                {
                    out.push(' ');
                }
            }
        }
    }
}

/// Elements inside which text flows on without a break.
fn is_inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "abbr"
            | "b"
            | "bdi"
            | "bdo"
            | "cite"
            | "code"
            | "data"
            | "dfn"
            | "em"
            | "font"
            | "i"
            | "kbd"
            | "mark"
            | "q"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strike"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "tt"
            | "u"
            | "var"
            | "wbr"
            | "ins"
            | "del"
            | "label"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(html: &str) -> (Vec<Block>, Dropped) {
        let mut dropped = Dropped::default();
        let base = Url::parse("https://news.example/2026/item").expect("url");
        let b = to_blocks(html, Some(&base), &mut dropped);
        (b, dropped)
    }

    fn para(text: &str) -> Block {
        Block::Paragraph {
            text: text.into(),
            runs: Vec::new(),
        }
    }

    #[test]
    fn paragraphs_carry_runs_with_marks_and_safe_links() {
        let (b, d) = blocks(
            "<p>One <b>bold</b>, <em>italic</em> and <a href=\"/rel\">a link</a>.</p>\
             <p>Mail <a href=\"mailto:desk@x.example\">us</a> \
             <a href=\"javascript:alert(1)\">never</a></p>",
        );
        assert_eq!(
            b[0],
            Block::Paragraph {
                text: "One bold, italic and a link.".into(),
                runs: vec![
                    Run::plain("One "),
                    Run {
                        bold: true,
                        ..Run::plain("bold")
                    },
                    Run::plain(", "),
                    Run {
                        italic: true,
                        ..Run::plain("italic")
                    },
                    Run::plain(" and "),
                    Run {
                        link: Some("https://news.example/rel".into()),
                        ..Run::plain("a link")
                    },
                    Run::plain("."),
                ],
            }
        );
        let Block::Paragraph { text, runs } = &b[1] else {
            panic!("a paragraph: {b:?}")
        };
        assert_eq!(text, "Mail us never");
        assert_eq!(runs[1].link.as_deref(), Some("mailto:desk@x.example"));
        assert_eq!(runs.iter().filter(|r| r.link.is_some()).count(), 1);
        assert_eq!(d.0.get("link target not http(s) or mailto"), Some(&1));
    }

    #[test]
    fn headings_quotes_lists_and_figures() {
        let (b, _) = blocks(
            "<h2>Sub</h2><h6>Small</h6>\
             <blockquote cite=\"https://x.example\"><p>We will.</p><footer>— <cite>A. Person</cite></footer></blockquote>\
             <ul><li>one</li><li><b>two</b> <ul><li>nested</li></ul></li><li> </li></ul><ol><li>first</li></ol>\
             <figure><img src=\"pic.jpg\" alt=\"A pic\" width=\"640\" height=\"480\"><figcaption>The <i>caption</i></figcaption></figure>\
             <img src=\"https://cdn.example/x.png\">",
        );
        assert_eq!(b[0], Block::Heading { text: "Sub".into() });
        assert_eq!(
            b[1],
            Block::Heading {
                text: "Small".into()
            }
        );
        assert_eq!(
            b[2],
            Block::Quote {
                text: "We will.".into(),
                cite: Some("A. Person".into())
            }
        );
        assert_eq!(
            b[3],
            Block::List {
                ordered: false,
                items: vec!["one".into(), "two nested".into()]
            }
        );
        assert_eq!(
            b[4],
            Block::List {
                ordered: true,
                items: vec!["first".into()]
            }
        );
        let Block::Image(img) = &b[5] else {
            panic!("{b:?}")
        };
        assert_eq!(img.src, "https://news.example/2026/pic.jpg");
        assert_eq!((img.width, img.height, img.framed), (640, 480, false));
        assert_eq!(img.caption.as_deref(), Some("The caption"));
        let Block::Image(img) = &b[6] else {
            panic!("{b:?}")
        };
        assert_eq!(
            (img.width, img.height, img.framed),
            (FRAME_WIDTH, FRAME_HEIGHT, true)
        );
        assert_eq!(img.alt, "Image");
    }

    #[test]
    fn code_and_players_are_dropped_and_counted_text_is_kept() {
        let (b, d) = blocks(
            "<p onclick=\"x()\">Before<script>alert(1)</script> after</p>\
             <style>p{}</style><iframe src=\"https://evil.example\">fallback</iframe>\
             <form><input value=\"x\"><button>Go</button></form>\
             <svg onload=\"alert(1)\"><text>svg text</text></svg>\
             <marquee>kept text</marquee><img src=\"javascript:alert(1)\" onerror=\"alert(1)\">\
             <img src=\"https://t.example/p.gif\" width=\"1\" height=\"1\">",
        );
        assert_eq!(b, vec![para("Before after"), para("kept text")]);
        assert_eq!(d.0.get("<script>"), Some(&1));
        assert_eq!(d.0.get("<style>"), Some(&1));
        assert_eq!(d.0.get("<iframe>"), Some(&1));
        assert_eq!(d.0.get("<form>"), Some(&1));
        assert_eq!(d.0.get("<svg>"), Some(&1));
        assert_eq!(d.0.get("event handler attribute"), Some(&3));
        assert_eq!(d.0.get("image without a usable address"), Some(&1));
        assert_eq!(d.0.get("tracking pixel"), Some(&1));
    }

    #[test]
    fn entities_are_decoded_once_and_white_space_folded() {
        let (b, _) = blocks(
            "<p>  Fish &amp;amp; chips&nbsp;&mdash; &lt;b&gt;not bold&lt;/b&gt;\n\n  end </p>",
        );
        assert_eq!(b, vec![para("Fish &amp; chips\u{a0}— <b>not bold</b> end")]);
        let mut d = Dropped::default();
        assert_eq!(
            to_text("A &lt;i&gt; <i>title</i>\t&amp;  more", &mut d),
            "A <i> title & more"
        );
    }

    #[test]
    fn loose_text_and_breaks_become_paragraphs() {
        let (b, _) = blocks("Plain text<br>on two lines<div>A div</div>tail");
        assert_eq!(
            b,
            vec![para("Plain text on two lines"), para("A div"), para("tail")]
        );
    }

    #[test]
    fn deep_nesting_is_read_without_overflowing() {
        let html = format!(
            "{}deep{}",
            "<div><span>".repeat(5_000),
            "</span></div>".repeat(5_000)
        );
        let (b, _) = blocks(&html);
        assert_eq!(b, vec![para("deep")]);
    }
}
