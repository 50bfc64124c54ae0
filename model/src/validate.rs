//! The rules an article must meet before it enters the database.

use crate::body::runs_match_text;
use crate::{Article, Block, Image, safe_src};

/// One thing wrong with an input, at a JSON path such as `body[3].text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// A slug is 1–120 characters of `a-z`, `0-9` and inner hyphens.
pub fn is_valid_slug(slug: &str) -> bool {
    (1..=120).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn check(&mut self, ok: bool, path: impl Into<String>, message: &str) {
        if !ok {
            self.problems.push(Problem {
                path: path.into(),
                message: message.to_owned(),
            });
        }
    }

    fn text(&mut self, value: &str, path: impl Into<String>, max_chars: usize) {
        let path = path.into();
        let len = value.trim().chars().count();
        self.check(len > 0, path.clone(), "must not be empty");
        self.check(
            len <= max_chars,
            path,
            &format!("must be at most {max_chars} characters"),
        );
    }

    fn image(&mut self, image: &Image, path: &str) {
        self.check(
            safe_src(&image.src).is_some(),
            format!("{path}.src"),
            "must be a path starting with / or an http(s) URL",
        );
        self.text(&image.alt, format!("{path}.alt"), 500);
        self.check(image.width > 0, format!("{path}.width"), "must be positive");
        self.check(
            image.height > 0,
            format!("{path}.height"),
            "must be positive",
        );
    }
}

impl Article {
    /// Every way this article breaks the contract's rules; empty when it may be stored.
    pub fn validate(&self) -> Vec<Problem> {
        let mut c = Checker {
            problems: Vec::new(),
        };
        c.check(
            is_valid_slug(&self.slug),
            "slug",
            "must be 1-120 characters of a-z, 0-9 and inner hyphens",
        );
        c.check(
            is_valid_slug(&self.section.slug),
            "section.slug",
            "must be 1-120 characters of a-z, 0-9 and inner hyphens",
        );
        c.text(&self.section.name, "section.name", 60);
        c.text(&self.headline, "headline", 300);
        if let Some(standfirst) = &self.standfirst {
            c.text(standfirst, "standfirst", 600);
        }
        if let Some(byline) = &self.byline {
            c.text(&byline.name, "byline.name", 120);
            if let Some(email) = &byline.email {
                let ok = email.split_once('@').is_some_and(|(user, host)| {
                    !user.is_empty() && host.contains('.') && !email.contains(char::is_whitespace)
                });
                c.check(ok, "byline.email", "must be an e-mail address");
            }
        }
        if let Some(source) = &self.source {
            c.text(source, "source", 120);
        }
        if let Some(lang) = &self.lang {
            c.check(
                crate::is_valid_lang(lang),
                "lang",
                "must be a BCP 47 language tag such as \"ko\" or \"ar-EG\"",
            );
        }
        if let Some(updated) = self.updated_at {
            c.check(
                updated >= self.published_at,
                "updated_at",
                "must not be before published_at",
            );
        }
        if let Some(image) = &self.image {
            c.image(image, "image");
        }
        c.check(
            !self.body.blocks.is_empty() || !self.body.skipped.is_empty(),
            "body",
            "must have at least one block",
        );
        for skipped in &self.body.skipped {
            c.check(false, format!("body[{}]", skipped.index), &skipped.reason);
        }
        // Paths name a block's position in the body as sent, skipped blocks included.
        let positions = (0..).filter(|i| !self.body.skipped.iter().any(|s| s.index == *i));
        for (i, block) in positions.zip(&self.body.blocks) {
            let path = format!("body[{i}]");
            match block {
                Block::Paragraph { text, runs } => {
                    c.text(text, format!("{path}.text"), 10_000);
                    c.check(
                        runs.is_empty() || runs_match_text(text, runs),
                        format!("{path}.runs"),
                        "the runs' texts must add up to exactly the paragraph's text",
                    );
                }
                Block::Heading { text } => c.text(text, format!("{path}.text"), 300),
                Block::Quote { text, cite } => {
                    c.text(text, format!("{path}.text"), 2_000);
                    if let Some(cite) = cite {
                        c.text(cite, format!("{path}.cite"), 200);
                    }
                }
                Block::Image(image) => c.image(image, &path),
                Block::List { items, .. } => {
                    c.check(
                        !items.is_empty(),
                        format!("{path}.items"),
                        "must not be empty",
                    );
                    for (j, item) in items.iter().enumerate() {
                        c.text(item, format!("{path}.items[{j}]"), 2_000);
                    }
                }
            }
        }
        for (i, tag) in self.tags.iter().enumerate() {
            c.text(tag, format!("tags[{i}]"), 60);
        }
        c.problems
    }
}
