//! Answers kept ready for a moment: what many readers ask for at once is made once.
//!
//! - [`Ready::pages`]: a server-rendered page (home, a section front, an article page) and the
//!   composite API reads (`/api/front`, `/api/modules`), kept for [`PAGE_AGE`] per address and
//!   host, so a page read by thousands in a second is rendered about once in that second (the
//!   requests that arrive while it is being rendered render it too; errors and other statuses
//!   are never kept).
//! - [`Ready::article_modules`]: an article's own modules (its section's newest, related
//!   stories), kept for [`MODULES_AGE`], as the rankings are (`crate::rankings`).
//!
//! - [`Ready::comments_key`]: a page of an article's comments, kept as a page is. Comments
//!   change under readers' hands, so these are kept under the *generation* of comments they
//!   were read in: every change to comments (made here, or told by the store from another
//!   server) starts a new generation, and a page read before the change, even one whose read
//!   ends after it, is never answered again. A reader who posts and reloads sees the comment.
//!   (Only another process writing the same SQLite file, the CLI's moderation, is not told:
//!   that shows within [`PAGE_AGE`].)
//!
//! An article's JSON has its own cache (`crate::cache`). So a page is at most [`PAGE_AGE`]
//! older than the data, and its modules at most [`MODULES_AGE`].

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::http::StatusCode;
use broadsheet_model::Module;
use bytes::Bytes;

use crate::store::{Store, StoreError};

/// How old a kept page or composite API answer may be.
pub const PAGE_AGE: Duration = Duration::from_secs(1);
/// How old an article's own modules may be.
pub const MODULES_AGE: Duration = Duration::from_secs(60);
/// How many bytes of pages are kept at most.
const PAGE_BYTES: u64 = 64 * 1024 * 1024;

/// An error the making of a kept answer can end in, told again to every request that waited
/// for that making.
pub trait Retold: From<StoreError> + std::fmt::Display + Send + Sync + 'static {
    /// Whether the database was only busy or restarting.
    fn busy(&self) -> bool;
}

/// A response kept whole.
#[derive(Clone, Debug)]
pub struct Kept {
    pub status: StatusCode,
    pub content_type: &'static str,
    pub body: Bytes,
}

impl axum::response::IntoResponse for Kept {
    /// The kept answer as it was made: its status, its type and its bytes.
    fn into_response(self) -> axum::response::Response {
        (
            self.status,
            [(axum::http::header::CONTENT_TYPE, self.content_type)],
            self.body,
        )
            .into_response()
    }
}

/// The answers kept ready, shared by every request.
#[derive(Clone)]
pub struct Ready {
    pages: moka::future::Cache<String, Kept>,
    summaries: moka::future::Cache<String, Kept>,
    modules: moka::future::Cache<String, Option<Arc<Vec<Module>>>>,
    /// The generation of comments: one more at every change to any article's comments.
    comments: Arc<AtomicU64>,
}

impl Default for Ready {
    fn default() -> Self {
        Ready {
            pages: moka::future::Cache::builder()
                .time_to_live(PAGE_AGE)
                .support_invalidation_closures()
                .weigher(|key: &String, kept: &Kept| {
                    u32::try_from(key.len() + kept.body.len()).unwrap_or(u32::MAX)
                })
                .max_capacity(PAGE_BYTES)
                .build(),
            summaries: moka::future::Cache::builder()
                .time_to_live(MODULES_AGE)
                .max_capacity(64)
                .build(),
            modules: moka::future::Cache::builder()
                .time_to_live(MODULES_AGE)
                .max_capacity(20_000)
                .build(),
            comments: Arc::new(AtomicU64::new(0)),
        }
    }
}

impl Ready {
    /// The answer kept for `key`, or `make`'s, kept if it is a success (errors and 404s are made
    /// afresh each time). Requests that miss together wait for one `make`: when a page's second
    /// is up under load, it is rendered once, not by every request that arrives meanwhile (the
    /// scale benchmark's `/api/front` p99 was 178 ms on PostgreSQL before this).
    pub async fn page<E, F>(&self, key: String, make: F) -> Result<Kept, E>
    where
        F: Future<Output = Result<Kept, E>>,
        E: Retold,
    {
        keep(&self.pages, key, make).await
    }

    /// As [`Ready::page`], but kept for [`MODULES_AGE`]: an answer that sums up the whole
    /// archive (the sitemap index: one pass over every article's id), which nobody needs to the
    /// second. It is dropped with the kept pages whenever articles change.
    pub async fn summary<E, F>(&self, key: String, make: F) -> Result<Kept, E>
    where
        F: Future<Output = Result<Kept, E>>,
        E: Retold,
    {
        keep(&self.summaries, key, make).await
    }

    /// The key a page of comments is kept under with [`Ready::page`]: the article, the page,
    /// and the generation of comments now (see the module's notes).
    pub fn comments_key(&self, slug: &str, limit: u32, before: Option<i64>) -> String {
        let generation = self.comments.load(Ordering::Acquire);
        let before = before.map(|id| id.to_string()).unwrap_or_default();
        format!("comments@{generation}:{slug}?limit={limit}&before={before}")
    }

    /// Forgets the kept pages that show the article at `slug` (its page and its embed page,
    /// under any host), and every kept page of comments.
    pub fn forget_article(&self, slug: &str) {
        self.comments.fetch_add(1, Ordering::AcqRel);
        let endings = [format!("/article/{slug}"), format!("/embed/{slug}")];
        // Only fails when closures were not enabled on the builder, which they are.
        let _ = self
            .pages
            .invalidate_entries_if(move |key, _| endings.iter().any(|e| key.ends_with(e.as_str())));
    }

    /// Forgets every kept answer: articles were imported, so any list may have changed.
    pub fn forget_all(&self) {
        self.comments.fetch_add(1, Ordering::AcqRel);
        self.pages.invalidate_all();
        self.summaries.invalidate_all();
        self.modules.invalidate_all();
    }

    /// The article's own modules (`None`: no such article), kept for [`MODULES_AGE`].
    pub async fn article_modules(
        &self,
        store: &Arc<dyn Store>,
        slug: &str,
    ) -> Result<Option<Arc<Vec<Module>>>, StoreError> {
        // Only articles that exist are kept: a later import must find its article at once.
        enum Miss {
            Absent,
            Failed(StoreError),
        }
        let store = Arc::clone(store);
        let key = slug.to_owned();
        let found = self
            .modules
            .try_get_with(key.clone(), async move {
                match store.article_modules(&key).await {
                    Ok(Some(modules)) => Ok(Some(Arc::new(modules))),
                    Ok(None) => Err(Miss::Absent),
                    Err(e) => Err(Miss::Failed(e)),
                }
            })
            .await;
        match found {
            Ok(modules) => Ok(modules),
            Err(miss) => match miss.as_ref() {
                Miss::Absent => Ok(None),
                Miss::Failed(e) => {
                    let again = Box::new(std::io::Error::other(e.to_string()));
                    Err(match e {
                        StoreError::Unavailable(_) => StoreError::Unavailable(again),
                        _ => StoreError::Database(again),
                    })
                }
            },
        }
    }
}

/// `cache`'s answer for `key`, or `make`'s (see [`Ready::page`]).
async fn keep<E, F>(
    cache: &moka::future::Cache<String, Kept>,
    key: String,
    make: F,
) -> Result<Kept, E>
where
    F: Future<Output = Result<Kept, E>>,
    E: Retold,
{
    enum Miss<E> {
        NotKept(Kept),
        Failed(E),
    }
    let made = cache
        .try_get_with(key, async move {
            match make.await {
                Ok(kept) if kept.status == StatusCode::OK => Ok(kept),
                Ok(other) => Err(Miss::NotKept(other)),
                Err(e) => Err(Miss::Failed(e)),
            }
        })
        .await;
    match made {
        Ok(kept) => Ok(kept),
        Err(miss) => match Arc::try_unwrap(miss) {
            Ok(Miss::NotKept(kept)) => Ok(kept),
            Ok(Miss::Failed(e)) => Err(e),
            // Another request's failure, shared: the same error, told again (a busy database
            // stays busy: a 503 that says when to come back, not a 500).
            Err(shared) => match &*shared {
                Miss::NotKept(kept) => Ok(kept.clone()),
                Miss::Failed(e) => {
                    let again = Box::new(std::io::Error::other(e.to_string()));
                    Err(E::from(if e.busy() {
                        StoreError::Unavailable(again)
                    } else {
                        StoreError::Database(again)
                    }))
                }
            },
        },
    }
}
