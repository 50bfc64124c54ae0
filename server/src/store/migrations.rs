//! The one list of schema versions. Each version is written once per database (SQLite's SQL and
//! Postgres's differ in types and triggers), side by side here, so neither store can gain a
//! version the other lacks.

/// One schema version: its number and its SQL for each store.
pub struct Version {
    pub number: u32,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

macro_rules! version {
    ($number:literal, $name:literal) => {
        Version {
            number: $number,
            sqlite: include_str!(concat!("../../migrations/", $name)),
            postgres: include_str!(concat!("../../migrations/postgres/", $name)),
        }
    };
}

/// Every version, oldest first; a database is brought to the last one at start.
pub const VERSIONS: &[Version] = &[
    version!(1, "001_articles.sql"),
    version!(2, "002_comments.sql"),
    version!(3, "003_scale.sql"),
    version!(4, "004_sitemaps.sql"),
    version!(5, "005_authors.sql"),
    version!(6, "006_search.sql"),
    version!(7, "007_search_order.sql"),
    version!(8, "008_search_headlines.sql"),
    version!(9, "009_headline_terms.sql"),
];

/// The version that adds `articles.author_slug`: as it is applied, each store fills the column
/// in for the articles already there (the slug is `broadsheet_model::author_slug`, Rust's
/// Unicode rule, which neither database's SQL repeats exactly). Renumber it with its file.
pub const AUTHOR_SLUGS: u32 = 5;

/// An author's slug as the column holds it: `None` for no byline, or a name without a letter
/// or digit (no page).
pub fn author_slug(byline: Option<&broadsheet_model::Byline>) -> Option<String> {
    byline
        .map(|b| broadsheet_model::author_slug(&b.name))
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_count_up_from_one_and_every_file_is_listed() {
        for (i, v) in VERSIONS.iter().enumerate() {
            assert_eq!(v.number as usize, i + 1);
            assert!(!v.sqlite.trim().is_empty() && !v.postgres.trim().is_empty());
        }
        // A file added to either folder but not to the list would never run.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        for folder in [dir.clone(), dir.join("postgres")] {
            let files = std::fs::read_dir(&folder)
                .expect("migrations folder")
                .filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "sql"))
                .count();
            assert_eq!(files, VERSIONS.len(), "{}", folder.display());
        }
    }
}
