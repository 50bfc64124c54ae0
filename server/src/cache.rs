//! Recently read articles, kept ready to send: the article endpoint's answer is the same bytes
//! for every reader until a view, a comment or a report changes it, so the busiest request needs
//! neither the database nor serde.
//!
//! Changes made through this server drop the article at once; so do changes made through
//! another server or the CLI on a shared Postgres database (the store tells of them:
//! `Store::changes`). Changes made by another process on the same SQLite file (the CLI's
//! `import` and moderation commands) show within [`TIME_TO_LIVE`]: a copy is never older than
//! that.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use broadsheet_model::Article;
use bytes::Bytes;

use crate::store::{Store, StoreError};

/// How long a copy may be served without asking the database again.
pub const TIME_TO_LIVE: Duration = Duration::from_secs(1);
/// How many articles are kept at most.
const CAPACITY: u64 = 10_000;

/// One article, decoded (for the pages the server renders) and as its JSON (for the API).
#[derive(Debug)]
pub struct Cached {
    pub article: Article,
    pub json: Bytes,
}

#[derive(Clone)]
pub struct Articles {
    store: Arc<dyn Store>,
    recent: moka::sync::Cache<String, Arc<Cached>>,
    /// Counts changes: a copy read from the database while a change happened is not kept (it
    /// may be older than the change).
    changes: Arc<AtomicU64>,
}

impl Articles {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Articles {
            store,
            recent: moka::sync::Cache::builder()
                .max_capacity(CAPACITY)
                .time_to_live(TIME_TO_LIVE)
                .build(),
            changes: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The article at `slug` (already checked to be a valid slug), `None` when there is none.
    /// Absent articles are not remembered: a later import must find its article at once.
    pub async fn get(&self, slug: &str) -> Result<Option<Arc<Cached>>, StoreError> {
        if let Some(hit) = self.recent.get(slug) {
            return Ok(Some(hit));
        }
        let before = self.changes.load(Ordering::Acquire);
        let found = self.store.article(slug).await?;
        let Some(article) = found else {
            return Ok(None);
        };
        let json = Bytes::from(serde_json::to_vec(&article)?);
        let cached = Arc::new(Cached { article, json });
        if self.changes.load(Ordering::Acquire) == before {
            self.recent.insert(slug.to_owned(), Arc::clone(&cached));
        }
        Ok(Some(cached))
    }

    /// Forgets every article (changes may have been missed).
    pub fn forget_all(&self) {
        self.changes.fetch_add(1, Ordering::AcqRel);
        self.recent.invalidate_all();
    }

    /// Forgets `slug`: the next request reads it from the database again.
    pub fn changed(&self, slug: &str) {
        self.changes.fetch_add(1, Ordering::AcqRel);
        self.recent.invalidate(slug);
    }
}
