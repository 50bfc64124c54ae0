//! Why an import wrote nothing, and why a fetch failed.

use broadsheet_model::Problem;

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is not a JSON array of articles: {0}")]
    NotJson(serde_json::Error),
    #[error("the file has {} problem(s); nothing was imported:\n{}", .0.len(), list(.0))]
    Invalid(Vec<Problem>),
    #[error("nothing was imported: {0}")]
    Store(#[from] StoreError),
    #[error("the document is {size} bytes, over the limit of {max} bytes; nothing was imported")]
    TooLarge { size: usize, max: usize },
    #[error("the document cannot be decoded: {0}; nothing was imported")]
    Encoding(String),
    #[error("the {format} is malformed at {at}: {problem}; nothing was imported")]
    Malformed {
        format: &'static str,
        at: String,
        problem: String,
    },
    #[error("the document is not a feed we read: {0}; nothing was imported")]
    NotAFeed(String),
    #[error("the document is refused: {0}; nothing was imported")]
    Refused(String),
    #[error("cannot fetch the document: {0}; nothing was imported")]
    Fetch(#[from] FetchError),
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("only http and https addresses can be fetched: {0}")]
    Scheme(String),
    #[error("the server answered {0}")]
    Status(u16),
    #[error("the document is over the limit of {0} bytes")]
    TooLarge(usize),
    #[error("{0}")]
    Http(#[from] ureq::Error),
}
