//! Full-text search's one rule for words, shared by both stores, the API and the marks: text is
//! cut into *terms* here, in Rust, once, and each store indexes the terms as they are (SQLite:
//! FTS5 with the `ascii` tokenizer, which keeps every term whole; PostgreSQL: a `tsvector` made
//! with `array_to_tsvector`, which does not parse at all). So the two stores cannot disagree
//! about what a word is, and give the same answers for the same data.
//!
//! The rule ([`terms`]):
//! - NFKC, then lowercase (full-width letters, ligatures and case fold together);
//! - scripts written without spaces between words (Hangul, Han, Kana, Thai, Lao, Khmer,
//!   Myanmar) are cut into overlapping pairs of characters (서울에서 → 서울 울에 에서), so a
//!   two-syllable word is found inside a longer eojeol with its particle attached; a lone
//!   character is a term of its own;
//! - everything else is cut into words by Unicode's word boundaries (`unicode-segmentation`),
//!   and a word further at ASCII punctuation and apostrophes (`don't` → `don`, `t`).
//!
//! A query is cut the same way, and finds the articles that hold every one of its terms.

use std::borrow::Cow;
use std::collections::HashSet;

use broadsheet_model::{
    Article, ArticleSummary, Block, Byline, Image, Marked, SearchHit, Section, Timestamp,
};
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// The longest query taken, in characters.
pub const QUERY_MAX_CHARS: usize = 200;
/// Terms longer than this (in bytes) are left out of the index and of queries: a URL or a run
/// of digits is not something a reader types, and Postgres limits a lexeme's length.
const TERM_MAX_BYTES: usize = 64;
/// The longest snippet shown under a result, in characters.
const SNIPPET_CHARS: usize = 180;
/// How much text a snippet shows before its first marked word, in characters.
const SNIPPET_LEAD: usize = 50;

/// Whether `c` belongs to a script written without spaces between words.
fn is_unsegmented(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF // Thai, Lao
        | 0x1000..=0x109F // Myanmar
        | 0x1100..=0x11FF // Hangul Jamo
        | 0x1780..=0x17FF // Khmer
        | 0x2E80..=0x2FDF // CJK radicals
        | 0x3040..=0x30FF // Hiragana, Katakana
        | 0x3130..=0x318F // Hangul compatibility Jamo
        | 0x31F0..=0x31FF // Katakana extensions
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xA960..=0xA97F // Hangul Jamo extended A
        | 0xAC00..=0xD7FF // Hangul syllables, Jamo extended B
        | 0xF900..=0xFAFF // CJK compatibility ideographs
        | 0xFF66..=0xFF9F // half-width Katakana
        | 0x20000..=0x3FFFF // CJK extensions B and on
    )
}

/// Where a word is cut further: ASCII punctuation and symbols, and apostrophes and middle dots
/// that Unicode keeps inside words.
fn is_cut(c: char) -> bool {
    (c.is_ascii() && !c.is_ascii_alphanumeric())
        || matches!(c, '\u{2018}' | '\u{2019}' | '\u{00B7}' | '\u{2027}')
}

fn normalise(text: &str) -> String {
    // ASCII is its own NFKC form and folds case byte by byte: the common text, and the hot path
    // (every word of a result's snippet is cut again to mark it).
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.nfkc().flat_map(char::to_lowercase).collect()
}

/// Calls `f` with each run of `text` written in one kind of script: `(unsegmented, run)`.
fn script_runs<'a>(text: &'a str, mut f: impl FnMut(bool, usize, &'a str)) {
    let mut start = 0;
    let mut kind = None;
    for (i, c) in text.char_indices() {
        let k = is_unsegmented(c);
        if kind.is_some_and(|was| was != k) {
            f(!k, start, &text[start..i]);
            start = i;
        }
        kind = Some(k);
    }
    if let Some(k) = kind {
        f(k, start, &text[start..]);
    }
}

/// Calls `f` with each term of `text`, in order, repeats included (see the module's rule).
fn each_term(text: &str, mut f: impl FnMut(&str)) {
    let text = normalise(text);
    let mut emit = |term: &str| {
        if !term.is_empty() && term.len() <= TERM_MAX_BYTES {
            f(term);
        }
    };
    script_runs(&text, |unsegmented, _, run| {
        if unsegmented {
            let bounds: Vec<usize> = run
                .char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(run.len()))
                .collect();
            if bounds.len() == 2 {
                emit(run);
            }
            for pair in bounds.windows(3) {
                emit(&run[pair[0]..pair[2]]);
            }
        } else {
            for word in run.unicode_words() {
                for piece in word.split(is_cut) {
                    emit(piece);
                }
            }
        }
    });
}

/// The terms of `text`, in order, repeats included (see the module's rule).
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_term(text, |term| out.push(term.to_owned()));
    out
}

/// Each distinct term once, in the order first seen, joined by spaces: what a store indexes.
pub fn index_text(text: &str) -> String {
    let all = terms(text);
    let mut seen = HashSet::new();
    all.iter()
        .map(String::as_str)
        .filter(|t| seen.insert(*t))
        .collect::<Vec<_>>()
        .join(" ")
}

/// What an article is found by: its headline (the first tier of results), and its headline,
/// standfirst, body text, byline and tags together.
pub struct Indexed {
    pub headline: String,
    pub all: String,
}

/// The texts of an article that search looks at, headline first.
fn texts(a: &Article) -> Vec<&str> {
    let mut texts = vec![a.headline.as_str()];
    texts.extend(a.standfirst.as_deref());
    for block in &a.body.blocks {
        match block {
            Block::Paragraph { text, .. } | Block::Heading { text } => texts.push(text),
            Block::Quote { text, cite } => {
                texts.push(text);
                texts.extend(cite.as_deref());
            }
            Block::List { items, .. } => texts.extend(items.iter().map(String::as_str)),
            Block::Image(image) => {
                texts.extend(image.caption.as_deref());
            }
        }
    }
    texts.extend(a.byline.as_ref().map(|b| b.name.as_str()));
    texts.extend(a.tags.iter().map(String::as_str));
    texts
}

/// The terms an article is indexed under.
pub fn index(article: &Article) -> Indexed {
    Indexed {
        headline: index_text(&article.headline),
        all: index_text(&texts(article).join("\n")),
    }
}

/// A query, checked: its distinct terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    pub text: String,
    pub terms: Vec<String>,
}

/// Why a query was refused, in a sentence for the reader, in the site's language
/// (`search.refused_*`: the app shows the sentence as it comes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueryError {
    Empty,
    TooLong,
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use broadsheet::i18n;
        f.write_str(&match self {
            QueryError::Empty => i18n::t("search.refused_empty"),
            QueryError::TooLong => {
                i18n::count("search.refused_too_long", QUERY_MAX_CHARS as u64, &[])
            }
        })
    }
}

impl std::error::Error for QueryError {}

impl Query {
    /// Checks what a reader typed and cuts it into terms.
    pub fn parse(text: &str) -> Result<Query, QueryError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(QueryError::Empty);
        }
        if text.chars().count() > QUERY_MAX_CHARS {
            return Err(QueryError::TooLong);
        }
        let mut seen = HashSet::new();
        let terms: Vec<String> = terms(text)
            .into_iter()
            .filter(|t| seen.insert(t.clone()))
            .collect();
        Ok(Query {
            text: text.to_owned(),
            terms,
        })
    }
}

/// Which characters of `text` show a term of `query`: a word whose terms include one, or in an
/// unsegmented script the pair of characters that is one. Once a character is marked, words
/// that start `span` characters or more after it are not looked at (a snippet shows no more).
fn marked_chars(text: &str, query: &HashSet<&str>, span: usize) -> Vec<bool> {
    // Char index of each byte offset that starts a char (in ASCII text, the offset itself).
    let ascii = text.is_ascii();
    let starts: Vec<usize> = if ascii {
        Vec::new()
    } else {
        text.char_indices().map(|(i, _)| i).collect()
    };
    let char_at = |byte: usize| {
        if ascii {
            byte
        } else {
            starts.partition_point(|&s| s < byte)
        }
    };
    let mut marks = vec![false; if ascii { text.len() } else { starts.len() }];
    let has = |s: &str| {
        // An ASCII word's terms are its pieces between punctuation, lowercased: compared as
        // they stand, without making them (most of a snippet's words are ASCII).
        if s.is_ascii() {
            return s.split(is_cut).any(|piece| {
                !piece.is_empty()
                    && piece.len() <= TERM_MAX_BYTES
                    && query.iter().any(|t| t.eq_ignore_ascii_case(piece))
            });
        }
        let mut found = false;
        each_term(s, |t| found |= query.contains(t));
        found
    };
    // The first marked character, and whether the rest is past the span after it.
    let mut first: Option<usize> = None;
    let past =
        |first: Option<usize>, at: usize| first.is_some_and(|f| at >= f.saturating_add(span));
    script_runs(text, |unsegmented, offset, run| {
        let start = char_at(offset);
        if past(first, start) {
            return;
        }
        if unsegmented {
            let chars: Vec<char> = run.chars().collect();
            if chars.len() == 1 && has(run) {
                marks[start] = true;
                first.get_or_insert(start);
            }
            let mut pair = String::new();
            for (i, two) in chars.windows(2).enumerate() {
                if past(first, start + i) {
                    break;
                }
                pair.clear();
                pair.extend(two);
                if has(&pair) {
                    marks[start + i] = true;
                    marks[start + i + 1] = true;
                    first.get_or_insert(start + i);
                }
            }
        } else {
            for (at, word) in run.unicode_word_indices() {
                let from = char_at(offset + at);
                if past(first, from) {
                    break;
                }
                if has(word) {
                    let count = if ascii {
                        word.len()
                    } else {
                        word.chars().count()
                    };
                    marks[from..from + count].fill(true);
                    first.get_or_insert(from);
                }
            }
        }
    });
    marks
}

/// `chars` as runs, each either marked or not.
fn runs(chars: &[char], marks: &[bool]) -> Vec<Marked> {
    let mut out: Vec<Marked> = Vec::new();
    for (&c, &marked) in chars.iter().zip(marks) {
        match out.last_mut() {
            Some(last) if last.marked == marked => last.text.push(c),
            _ => out.push(Marked {
                text: c.to_string(),
                marked,
            }),
        }
    }
    out
}

/// `text` as runs, the words of `query` marked.
pub fn mark(text: &str, query: &Query) -> Vec<Marked> {
    let set: HashSet<&str> = query.terms.iter().map(String::as_str).collect();
    let chars: Vec<char> = text.chars().collect();
    runs(&chars, &marked_chars(text, &set, usize::MAX))
}

/// A short passage of `text` around its first marked word, `None` if nothing in it is marked.
fn passage(text: &str, set: &HashSet<&str>) -> Option<Vec<Marked>> {
    // In ASCII text a term is found only where the folded text holds it as it is: most
    // paragraphs are passed over without cutting them into words.
    if text.is_ascii() {
        let folded = text.to_ascii_lowercase();
        if !set.iter().any(|term| folded.contains(term)) {
            return None;
        }
    }
    // Marks past the snippet's longest reach are never shown, so never looked for.
    let marks = marked_chars(text, set, SNIPPET_CHARS);
    let first = marks.iter().position(|&m| m)?;
    let chars: Vec<char> = text.chars().collect();
    let mut start = first.saturating_sub(SNIPPET_LEAD);
    // Start at a word: after the space before `start` (unless the text has none near).
    if start > 0
        && let Some(space) = chars[start..first].iter().position(|c| c.is_whitespace())
    {
        start += space + 1;
    }
    let mut end = (start + SNIPPET_CHARS).min(chars.len());
    if end < chars.len()
        && let Some(space) = chars[first..end].iter().rposition(|c| c.is_whitespace())
    {
        end = first + space;
    }
    let mut out = runs(&chars[start..end], &marks[start..end]);
    if start > 0 {
        out.insert(0, Marked::plain("…"));
    }
    if end < chars.len() {
        out.push(Marked::plain("…"));
    }
    Some(out)
}

/// A stored article as a result reads it: what the list shows of it, and the texts search
/// looks at, decoded from its JSON without the rest (a body block is its texts alone, each
/// borrowed from the JSON unless it holds an escape). A page of results decoded whole articles
/// before: at 100,000 articles that was a third of an uncached search's time.
#[derive(Deserialize)]
struct Stored<'a> {
    slug: String,
    section: Section,
    headline: String,
    #[serde(default)]
    standfirst: Option<String>,
    #[serde(default)]
    byline: Option<Byline>,
    published_at: Timestamp,
    #[serde(default)]
    image: Option<Image>,
    #[serde(borrow)]
    body: Vec<StoredBlock<'a>>,
    #[serde(default, borrow)]
    tags: Vec<Text<'a>>,
}

/// A string of a stored article, borrowed where it can be.
#[derive(Deserialize)]
struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

/// A body block's texts (`Block`'s fields that hold text), whatever its type.
#[derive(Deserialize)]
struct StoredBlock<'a> {
    #[serde(rename = "type", borrow)]
    kind: Text<'a>,
    #[serde(default, borrow)]
    text: Option<Text<'a>>,
    #[serde(default, borrow)]
    cite: Option<Text<'a>>,
    #[serde(default, borrow)]
    items: Vec<Text<'a>>,
    #[serde(default, borrow)]
    caption: Option<Text<'a>>,
}

impl Stored<'_> {
    /// The texts search looks at, in [`texts`]' order (a test holds the two together).
    fn texts(&self) -> Vec<&str> {
        let mut texts = vec![self.headline.as_str()];
        texts.extend(self.standfirst.as_deref());
        for block in &self.body {
            let text = block.text.as_ref().map(|t| t.0.as_ref());
            match block.kind.0.as_ref() {
                "paragraph" | "heading" => texts.extend(text),
                "quote" => texts.extend(
                    text.into_iter()
                        .chain(block.cite.as_ref().map(|t| t.0.as_ref())),
                ),
                "list" => texts.extend(block.items.iter().map(|t| t.0.as_ref())),
                "image" => texts.extend(block.caption.as_ref().map(|t| t.0.as_ref())),
                _ => {}
            }
        }
        texts.extend(self.byline.as_ref().map(|b| b.name.as_str()));
        texts.extend(self.tags.iter().map(|t| t.0.as_ref()));
        texts
    }

    /// [`Article::description`]'s source: the standfirst, or else the first paragraph.
    fn description(&self, max: usize) -> String {
        let first_paragraph = self.body.iter().find_map(|b| {
            (b.kind.0 == "paragraph")
                .then(|| b.text.as_ref().map(|t| t.0.as_ref()))
                .flatten()
        });
        broadsheet_model::describe(
            self.standfirst.as_deref().or(first_paragraph),
            &self.headline,
            max,
        )
    }
}

/// A result as the list shows it, made from the article's JSON as stored: the headline with
/// the query's words marked, and a snippet — the passage of the standfirst or body where they
/// first appear, or else the article's description (found by its byline or tags).
pub fn hit(doc: &str, query: &Query) -> Result<SearchHit, serde_json::Error> {
    let stored: Stored = serde_json::from_str(doc)?;
    let set: HashSet<&str> = query.terms.iter().map(String::as_str).collect();
    let snippet = stored
        .texts()
        .into_iter()
        .skip(1)
        .find_map(|text| passage(text, &set))
        .unwrap_or_else(|| vec![Marked::plain(stored.description(SNIPPET_CHARS))]);
    let headline = mark(&stored.headline, query);
    Ok(SearchHit {
        story: ArticleSummary {
            slug: stored.slug,
            section: stored.section,
            headline: stored.headline,
            standfirst: stored.standfirst,
            byline: stored.byline,
            published_at: stored.published_at,
            image: stored.image,
        },
        headline,
        snippet,
    })
}

/// A position in a query's results: after the result in `tier` (1: the headline holds every
/// term, 0: the rest) published at `published` with row id `id`. Encoded as
/// `"{tier}.{published}.{id}"`; opaque to clients.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchCursor {
    pub tier: i64,
    pub published: i64,
    pub id: i64,
}

impl SearchCursor {
    pub fn parse(s: &str) -> Option<SearchCursor> {
        let mut parts = s.split('.');
        let cursor = SearchCursor {
            tier: parts.next()?.parse().ok()?,
            published: parts.next()?.parse().ok()?,
            id: parts.next()?.parse().ok()?,
        };
        (parts.next().is_none() && (0..=1).contains(&cursor.tier)).then_some(cursor)
    }

    pub fn encode(self) -> String {
        format!("{}.{}.{}", self.tier, self.published, self.id)
    }

    /// Before every result.
    pub fn start() -> SearchCursor {
        SearchCursor {
            tier: i64::MAX,
            published: i64::MAX,
            id: i64::MAX,
        }
    }
}

/// The FTS5 query for `terms` (every one, each quoted: no term is read as an operator), and
/// the same restricted to the headline.
pub fn fts5_queries(terms: &[String]) -> (String, String) {
    let all = terms
        .iter()
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" ");
    let head = format!("head : ({all})");
    (all, head)
}

/// The `tsquery` for `terms`: every one, each a quoted lexeme taken as it is.
pub fn tsquery(terms: &[String]) -> String {
    terms
        .iter()
        .map(|t| format!("'{}'", t.replace('\\', "\\\\").replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(" & ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Query {
        Query::parse(text).expect("query")
    }

    #[test]
    fn latin_words_fold_case_width_and_punctuation() {
        assert_eq!(
            terms("Harbour CRANES, don't!"),
            ["harbour", "cranes", "don", "t"]
        );
        assert_eq!(terms("ＦＵＬＬ width ﬁle"), ["full", "width", "file"]);
        assert_eq!(
            terms("<script>alert(1)</script>"),
            ["script", "alert", "1", "script"]
        );
    }

    #[test]
    fn unsegmented_scripts_become_pairs() {
        assert_eq!(
            terms("서울에서 만나요"),
            ["서울", "울에", "에서", "만나", "나요"]
        );
        assert_eq!(terms("東京"), ["東京"]);
        assert_eq!(terms("K팝 열풍"), ["k", "팝", "열풍"]);
        // The word inside the eojeol is one of its pairs.
        let doc: HashSet<String> = terms("서울에서 열린 회의").into_iter().collect();
        assert!(q("서울").terms.iter().all(|t| doc.contains(t)));
    }

    #[test]
    fn queries_are_checked() {
        assert_eq!(Query::parse("  "), Err(QueryError::Empty));
        // Punctuation alone is a search that finds nothing (the API answers every query its
        // schema allows: no words is no results, not a refusal).
        assert_eq!(q("!!").terms, Vec::<String>::new());
        assert_eq!(Query::parse(&"a".repeat(201)), Err(QueryError::TooLong));
        assert_eq!(q(&"a ".repeat(60)).terms, ["a"]);
        assert_eq!(q("Night night TRAINS").terms, ["night", "trains"]);
    }

    #[test]
    fn marks_whole_words_and_pairs() {
        let text = |runs: Vec<Marked>| {
            runs.iter()
                .map(|r| {
                    if r.marked {
                        format!("[{}]", r.text)
                    } else {
                        r.text.clone()
                    }
                })
                .collect::<String>()
        };
        assert_eq!(
            text(mark("Night trains return, nightly", &q("night"))),
            "[Night] trains return, nightly"
        );
        assert_eq!(
            text(mark("서울에서 열린 회의", &q("서울"))),
            "[서울]에서 열린 회의"
        );
        // ASCII words are matched piece by piece, as their terms are cut.
        assert_eq!(
            text(mark("Don't STOP-gap now", &q("T GAP"))),
            "[Don't] STOP-[gap] now"
        );
        assert_eq!(
            text(mark("<b>Cranes</b> & co", &q("b cranes"))),
            "<[b]>[Cranes]</[b]> & co"
        );
    }

    /// A result reads an article's texts from its JSON as [`index`] reads them from the
    /// article, and describes it as the article does.
    #[test]
    fn marks_past_a_snippets_reach_are_not_looked_for() {
        let set: HashSet<&str> = ["tide", "서울"].into_iter().collect();
        for (text, last) in [
            (format!("The tide {}tide", "word ".repeat(60)), "tide"),
            (format!("서울에서 {}서울", "말 ".repeat(120)), "서울"),
        ] {
            let n = text.chars().count();
            let tail = n - last.chars().count();
            let all = marked_chars(&text, &set, usize::MAX);
            let cut = marked_chars(&text, &set, SNIPPET_CHARS);
            assert_eq!(all.len(), n);
            assert_eq!(all.iter().position(|&m| m), cut.iter().position(|&m| m));
            assert!(all[tail..].iter().all(|&m| m), "{text}");
            assert!(cut[tail..].iter().all(|&m| !m), "{text}");
            assert_eq!(all[..SNIPPET_CHARS], cut[..SNIPPET_CHARS]);
        }
    }

    #[test]
    fn stored_texts_are_the_articles_texts() {
        // The demo's file itself (the store layer takes nothing from the crate above it).
        let demo = include_str!("../../demo/articles.json");
        let articles: Vec<Article> = serde_json::from_str(demo).expect("demo articles");
        let mut article = articles[0].clone();
        article.body.blocks.push(Block::Quote {
            text: "A \"quoted\" line".into(),
            cite: Some("Someone".into()),
        });
        article.body.blocks.push(Block::List {
            ordered: false,
            items: vec!["one".into(), "two".into()],
        });
        article.standfirst = None;
        for article in articles.iter().chain([&article]) {
            let doc = serde_json::to_string(article).expect("encode");
            let stored: Stored = serde_json::from_str(&doc).expect("decode");
            assert_eq!(stored.texts(), texts(article), "{}", article.slug);
            assert_eq!(stored.description(80), article.description(80));
        }
        let kinds: HashSet<&str> = articles
            .iter()
            .flat_map(|a| a.body.blocks.iter().map(Block::kind))
            .collect();
        assert!(
            kinds.len() >= 4,
            "the demo shows most kinds of block: {kinds:?}"
        );
    }

    #[test]
    fn cursors_round_trip_and_quote_terms() {
        let c = SearchCursor {
            tier: 1,
            published: 1_700_000_000,
            id: 7,
        };
        assert_eq!(SearchCursor::parse(&c.encode()), Some(c));
        for bad in ["", "1.2", "2.1.1", "x.1.1", "1.1.1.1"] {
            assert_eq!(SearchCursor::parse(bad), None, "{bad}");
        }
        assert_eq!(tsquery(&["it's".into()]), "'it''s'");
        assert_eq!(fts5_queries(&["a\"b".into()]).0, "\"a\"\"b\"");
    }
}
