//! A document before any format reads it: its size, its character encoding, its format, and
//! for XML a first pass with quick-xml that refuses DTD tricks and says where the XML is broken.

use encoding_rs::{Encoding, UTF_8};
use quick_xml::events::Event;

use super::error::ImportError;

/// The largest document imported, from a file or a URL: 16 MiB. A 500-item feed with whole
/// articles in it is about 4 MiB (bench/import.sh); past this size a feed is a mistake or an
/// attack.
pub const MAX_BYTES: usize = 16 * 1024 * 1024;

/// The formats an import reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Decide from the content.
    Auto,
    /// Broadsheet's own JSON array of articles (the API contract).
    Broadsheet,
    /// RSS 2.0 (and 0.9x, 1.0).
    Rss,
    /// Atom 1.0.
    Atom,
    /// JSON Feed 1.0/1.1.
    Jsonfeed,
    /// The WordPress REST API's `wp/v2/posts` array.
    Wordpress,
    /// IPTC ninjs 1.x, 2.x or 3.x: one item or an array of them.
    Ninjs,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Broadsheet => "Broadsheet JSON",
            Format::Rss => "RSS",
            Format::Atom => "Atom",
            Format::Jsonfeed => "JSON Feed",
            Format::Wordpress => "WordPress REST",
            Format::Ninjs => "ninjs",
        }
    }
}

/// A document decoded to text, with what it was found to be.
pub struct Decoded {
    pub text: String,
    pub format: Format,
    /// The parsed JSON, for the JSON formats (parsed once, here, where its errors get a line).
    pub json: Option<serde_json::Value>,
}

/// Checks the size, decodes, and tells the format (or checks the one asked for).
pub fn read(bytes: &[u8], asked: Format) -> Result<Decoded, ImportError> {
    if bytes.len() > MAX_BYTES {
        return Err(ImportError::TooLarge {
            size: bytes.len(),
            max: MAX_BYTES,
        });
    }
    let text = decode(bytes)?;
    let start = text.trim_start();
    let found = if start.starts_with('<') {
        let lower: String = start
            .chars()
            .take(64)
            .collect::<String>()
            .to_ascii_lowercase();
        if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
            return Err(ImportError::NotAFeed(
                "it is an HTML page, not a feed".to_owned(),
            ));
        }
        let root = check_xml(&text)?;
        match root.as_str() {
            "rss" | "RDF" | "channel" => Format::Rss,
            "feed" => Format::Atom,
            "html" => {
                return Err(ImportError::NotAFeed(
                    "it is an HTML page, not a feed".to_owned(),
                ));
            }
            other => {
                return Err(ImportError::NotAFeed(format!(
                    "an XML document whose root is <{other}> is neither RSS nor Atom"
                )));
            }
        }
    } else if start.starts_with('{') || start.starts_with('[') {
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| ImportError::Malformed {
                format: "JSON",
                at: format!("line {}, column {}", e.line(), e.column()),
                problem: e.to_string(),
            })?;
        let found = json_format(&json)?;
        let format = if asked == Format::Auto { found } else { asked };
        if found != format {
            return Err(mismatch(found, format));
        }
        return Ok(Decoded {
            text,
            format,
            json: Some(json),
        });
    } else {
        return Err(ImportError::NotAFeed(
            "it is neither XML nor JSON".to_owned(),
        ));
    };
    let format = if asked == Format::Auto { found } else { asked };
    if found != format {
        return Err(mismatch(found, format));
    }
    Ok(Decoded {
        text,
        format,
        json: None,
    })
}

fn mismatch(found: Format, asked: Format) -> ImportError {
    ImportError::NotAFeed(format!(
        "--format {} was asked for, but the document is {}",
        asked.name(),
        found.name()
    ))
}

/// Which JSON format a document is, by its shape.
fn json_format(json: &serde_json::Value) -> Result<Format, ImportError> {
    use serde_json::Value;
    let looks_like = |v: &Value| -> Option<Format> {
        let o = v.as_object()?;
        if o.contains_key("uri")
            && (o.contains_key("headline")
                || o.contains_key("headlines")
                || o.contains_key("body_html")
                || o.contains_key("bodies")
                || o.contains_key("type"))
        {
            Some(Format::Ninjs)
        } else if o.get("title").and_then(|t| t.get("rendered")).is_some() {
            Some(Format::Wordpress)
        } else if o.contains_key("slug") && o.contains_key("headline") && o.contains_key("body") {
            Some(Format::Broadsheet)
        } else {
            None
        }
    };
    let found = match json {
        Value::Object(o)
            if o.get("version")
                .and_then(Value::as_str)
                .is_some_and(|v| v.starts_with("https://jsonfeed.org/version/")) =>
        {
            Some(Format::Jsonfeed)
        }
        Value::Object(_) => looks_like(json).filter(|f| *f == Format::Ninjs),
        Value::Array(items) if items.is_empty() => Some(Format::Broadsheet),
        // An array that is neither is read as our own, whose errors name their paths.
        Value::Array(items) => looks_like(&items[0]).or(Some(Format::Broadsheet)),
        _ => None,
    };
    found.ok_or_else(|| {
        ImportError::NotAFeed(
            "a JSON document that is none of Broadsheet JSON, JSON Feed, WordPress posts or ninjs"
                .to_owned(),
        )
    })
}

/// Decodes the document: a byte-order mark, or else the encoding an XML declaration names,
/// or else UTF-8 (JSON is always UTF-8). Bytes that are not valid in that encoding, and
/// encodings nobody knows, are refused rather than guessed at.
pub fn decode(bytes: &[u8]) -> Result<String, ImportError> {
    let (encoding, skip) = match Encoding::for_bom(bytes) {
        Some((encoding, bom)) => (encoding, bom),
        None => (declared(bytes)?.unwrap_or(UTF_8), 0),
    };
    let rest = &bytes[skip..];
    if encoding == UTF_8 {
        return match std::str::from_utf8(rest) {
            Ok(text) => Ok(text.to_owned()),
            Err(e) => {
                let before = String::from_utf8_lossy(&rest[..e.valid_up_to()]);
                Err(ImportError::Encoding(format!(
                    "it is not valid UTF-8 at {} (byte {})",
                    line_column(&before, before.len()),
                    skip + e.valid_up_to()
                )))
            }
        };
    }
    encoding
        .decode_without_bom_handling_and_without_replacement(rest)
        .map(|text| text.into_owned())
        .ok_or_else(|| {
            ImportError::Encoding(format!(
                "it declares {} but holds bytes that are not valid in it",
                encoding.name()
            ))
        })
}

/// The encoding named by an XML declaration (`<?xml version="1.0" encoding="EUC-KR"?>`).
fn declared(bytes: &[u8]) -> Result<Option<&'static Encoding>, ImportError> {
    let head = &bytes[..bytes.len().min(256)];
    let head = String::from_utf8_lossy(head);
    let head = head.trim_start();
    let Some(decl) = head.strip_prefix("<?xml") else {
        return Ok(None);
    };
    let Some(decl) = decl.split("?>").next() else {
        return Ok(None);
    };
    let Some(at) = decl.find("encoding") else {
        return Ok(None);
    };
    let value = decl[at + "encoding".len()..].trim_start();
    let Some(value) = value.strip_prefix('=') else {
        return Ok(None);
    };
    let value = value.trim_start();
    let Some(quote) = value.chars().next().filter(|c| *c == '"' || *c == '\'') else {
        return Ok(None);
    };
    let label: String = value[1..].chars().take_while(|c| *c != quote).collect();
    match Encoding::for_label(label.trim().as_bytes()) {
        Some(encoding) => Ok(Some(encoding)),
        None => Err(ImportError::Encoding(format!(
            "it declares the encoding {label:?}, which is not one we know"
        ))),
    }
}

/// Reads the whole XML document once with quick-xml: a document with a DTD that declares
/// anything (entities are how "billion laughs" and external-entity attacks work; no feed needs
/// one) is refused, and so is malformed XML, with its line and column. Returns the root
/// element's local name.
fn check_xml(text: &str) -> Result<String, ImportError> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut root = None;
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        match reader.read_event() {
            Ok(Event::DocType(doctype)) => {
                let inner = doctype.into_inner().into_owned();
                // A DOCTYPE that only names a DTD is harmless here (nothing ever fetches it);
                // an internal subset ([…]) is where entities are declared.
                if inner.contains('[') || inner.to_ascii_uppercase().contains("ENTITY") {
                    let start = text
                        .get(before..)
                        .and_then(|rest| rest.find("<!"))
                        .map_or(before, |i| before + i);
                    let at = start;
                    return Err(ImportError::Refused(format!(
                        "it declares a DTD with entities (<!DOCTYPE … [ … ]>, at {}): feeds need \
                         none, and entity declarations are how billion-laughs and external-entity \
                         attacks work",
                        line_column(text, at)
                    )));
                }
            }
            Ok(Event::Start(e) | Event::Empty(e)) => {
                if root.is_none() {
                    let name = e.local_name();
                    root = Some(name.into_inner().to_owned());
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                return Err(ImportError::Malformed {
                    format: "XML",
                    at: line_column(text, at),
                    problem: e.to_string(),
                });
            }
        }
    }
    root.ok_or_else(|| ImportError::NotAFeed("the XML document has no element".to_owned()))
}

/// "line L, column C" of a byte offset in `text` (columns count characters, from 1).
pub fn line_column(text: &str, offset: usize) -> String {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("line {line}, column {column}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        assert_eq!(line_column("ab\ncdé\nf", 0), "line 1, column 1");
        assert_eq!(line_column("ab\ncdé\nf", 8), "line 3, column 1");
        assert_eq!(line_column("ab\ncdé\nf", 7), "line 2, column 4");
    }

    #[test]
    fn declared_encodings_are_decoded_and_unknown_ones_refused() {
        let (bytes, _, _) = encoding_rs::EUC_KR
            .encode("<?xml version=\"1.0\" encoding=\"EUC-KR\"?><rss>한국</rss>");
        assert!(decode(&bytes).expect("decodes").contains("한국"));
        let latin = b"<?xml version='1.0' encoding='ISO-8859-1'?><rss>caf\xe9</rss>";
        assert!(decode(latin).expect("decodes").contains("café"));
        assert!(matches!(
            decode(b"<?xml version=\"1.0\" encoding=\"x-klingon\"?><rss/>"),
            Err(ImportError::Encoding(m)) if m.contains("x-klingon")
        ));
        assert!(matches!(
            decode(b"<rss>caf\xe9</rss>"),
            Err(ImportError::Encoding(m)) if m.contains("line 1, column 9")
        ));
    }
}
