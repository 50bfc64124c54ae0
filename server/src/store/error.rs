//! What can go wrong in the storage layer, whatever the database. No HTTP here: the HTTP layer
//! turns a [`StoreError`] into its answer (`crate::http::error`).

/// Any error the database or its driver gives, kept whole for the log.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed a statement.
    #[error("database error: {0}")]
    Database(#[source] BoxError),
    /// The database cannot be reached just now (it is restarting, or every connection is
    /// busy): worth trying again in a moment.
    #[error("the database is unavailable: {0}")]
    Unavailable(#[source] BoxError),
    /// No connection could be had.
    #[error("database pool error: {0}")]
    Pool(#[source] BoxError),
    /// A stored document does not decode (or an article does not encode).
    #[error("stored data is corrupt: {0}")]
    Corrupt(#[from] serde_json::Error),
    /// The task running the query panicked or was cancelled.
    #[error("a database task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}
