//! What an import did: "N imported, M updated, K skipped", why each skipped item was skipped,
//! and what was left out of the items' HTML.

use std::fmt;

use super::document::Format;
use super::html::Dropped;

/// An item of a good document that could not become an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// Its position in the document, from 1.
    pub item: usize,
    /// Its guid/id, when it had one.
    pub id: String,
    pub reason: String,
}

/// The articles and sections an import wrote, for whoever keeps copies of them (caches).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changed {
    pub articles: Vec<String>,
    pub sections: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub format: Format,
    /// Articles new to the store.
    pub created: usize,
    /// Articles that were there and were written again.
    pub updated: usize,
    pub skipped: Vec<Skipped>,
    pub dropped: Dropped,
    pub changed: Changed,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} imported, {} updated, {} skipped ({})",
            self.created,
            self.updated,
            self.skipped.len(),
            self.format.name()
        )?;
        for s in &self.skipped {
            let id = if s.id.is_empty() {
                String::new()
            } else {
                format!(" ({})", s.id)
            };
            write!(f, "\n  skipped item {}{id}: {}", s.item, s.reason)?;
        }
        if self.dropped.total() > 0 {
            let kinds: Vec<String> = self
                .dropped
                .0
                .iter()
                .map(|(kind, n)| format!("{n} × {kind}"))
                .collect();
            write!(f, "\n  left out of the HTML: {}", kinds.join(", "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_says_what_happened() {
        let mut dropped = Dropped::default();
        dropped.add("<script>", 2);
        let report = Report {
            format: Format::Rss,
            created: 3,
            updated: 1,
            skipped: vec![Skipped {
                item: 5,
                id: "urn:x".into(),
                reason: "it has no title".into(),
            }],
            dropped,
            changed: Changed::default(),
        };
        assert_eq!(
            report.to_string(),
            "3 imported, 1 updated, 1 skipped (RSS)\n  skipped item 5 (urn:x): it has no title\n  \
             left out of the HTML: 2 × <script>"
        );
    }
}
