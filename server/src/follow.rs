//! Following feeds (`broadsheet-server serve --follow FEEDS.toml`): each listed feed is polled
//! at its interval with a conditional request (the last good copy's `ETag` and
//! `Last-Modified`), a timeout and a size cap, and imported like `import URL` does. Nothing is
//! ever deleted: a feed that fails, times out or turns into something that is not a feed leaves
//! what it imported alone, and is tried again later and later (doubling, up to six hours). One
//! log line per poll. After each import that wrote something, `on_change` is told which
//! articles and sections changed (so caches can drop them).
//!
//! ```toml
//! [[feed]]
//! url = "https://example.org/feed.xml"
//! section = "world"          # optional: otherwise a category that names a section, or "news"
//! source = "Example News"    # optional: otherwise the feed's title
//! interval = 900             # seconds between polls (default 900)
//! timeout = 30               # seconds a poll may take (default 30)
//! ```

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde::Deserialize;

use crate::import::fetch::{self, Fetched, Validators};
use crate::import::{self, Changed, Format, ImportError, Options, Report};
use crate::store::Store;

/// The longest wait between two polls of a failing feed.
pub const MAX_BACKOFF: Duration = Duration::from_secs(6 * 60 * 60);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FollowFile {
    #[serde(default)]
    feed: Vec<FeedConfig>,
}

/// One followed feed.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    pub url: String,
    #[serde(default)]
    pub section: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    /// Seconds between polls.
    #[serde(default = "default_interval")]
    pub interval: u64,
    /// Seconds a poll may take, body included.
    #[serde(default = "default_timeout")]
    pub timeout: u64,
}

fn default_interval() -> u64 {
    900
}

fn default_timeout() -> u64 {
    fetch::TIMEOUT.as_secs()
}

/// Reads and checks a follow file.
pub fn load(path: &Path) -> anyhow::Result<Vec<FeedConfig>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    parse(&text).with_context(|| format!("in {}", path.display()))
}

/// Parses a follow file's text.
pub fn parse(text: &str) -> anyhow::Result<Vec<FeedConfig>> {
    let file: FollowFile = toml::from_str(text)?;
    for (i, feed) in file.feed.iter().enumerate() {
        let n = i + 1;
        let lower = feed.url.to_ascii_lowercase();
        anyhow::ensure!(
            lower.starts_with("http://") || lower.starts_with("https://"),
            "feed {n}: url must be an http or https address, not {:?}",
            feed.url
        );
        anyhow::ensure!(
            feed.interval >= 1,
            "feed {n}: interval must be at least 1 second"
        );
        anyhow::ensure!(
            feed.timeout >= 1,
            "feed {n}: timeout must be at least 1 second"
        );
        if let Some(section) = &feed.section {
            anyhow::ensure!(
                broadsheet_model::is_valid_slug(section),
                "feed {n}: section must be a slug (a-z, 0-9 and inner hyphens), not {section:?}"
            );
        }
    }
    Ok(file.feed)
}

/// Who is told what an import changed.
pub type OnChange = Arc<dyn Fn(&Changed) + Send + Sync>;

/// What one poll did.
#[derive(Debug)]
pub enum Poll {
    Imported(Report),
    NotModified,
    Failed(String),
}

/// One feed being followed, with what it remembers between polls.
pub struct Follower {
    store: Arc<dyn Store>,
    feed: FeedConfig,
    on_change: OnChange,
    have: Validators,
    failures: u32,
}

impl Follower {
    pub fn new(store: Arc<dyn Store>, feed: FeedConfig, on_change: OnChange) -> Self {
        Follower {
            store,
            feed,
            on_change,
            have: Validators::default(),
            failures: 0,
        }
    }

    /// Polls failed in a row.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// How long to wait before the next poll: the interval, doubled for each failure in a
    /// row, at most [`MAX_BACKOFF`] (and never less than the interval).
    pub fn next_delay(&self) -> Duration {
        let interval = Duration::from_secs(self.feed.interval);
        let factor = 1u32 << self.failures.min(16);
        interval
            .checked_mul(factor)
            .unwrap_or(MAX_BACKOFF)
            .min(MAX_BACKOFF)
            .max(interval)
    }

    /// Fetches and imports the feed once, and logs one line saying what happened.
    pub async fn poll(&mut self) -> Poll {
        let started = Instant::now();
        let outcome = self.fetch_and_import().await;
        match &outcome {
            Poll::Failed(_) => self.failures = self.failures.saturating_add(1),
            _ => self.failures = 0,
        }
        let ms = started.elapsed().as_millis();
        let url = &self.feed.url;
        match &outcome {
            Poll::Imported(report) => {
                let first = report.to_string();
                let first = first.lines().next().unwrap_or_default();
                tracing::info!(feed = %url, ms, "follow: {first}");
            }
            Poll::NotModified => tracing::info!(feed = %url, ms, "follow: not modified"),
            Poll::Failed(reason) => tracing::warn!(
                feed = %url,
                ms,
                failures = self.failures,
                "follow: failed, nothing changed ({reason}); next poll in {} s",
                self.next_delay().as_secs()
            ),
        }
        outcome
    }

    async fn fetch_and_import(&mut self) -> Poll {
        let url = self.feed.url.clone();
        let have = self.have.clone();
        let timeout = Duration::from_secs(self.feed.timeout);
        let fetched = tokio::task::spawn_blocking(move || fetch::get(&url, timeout, &have)).await;
        let (bytes, validators) = match fetched {
            Ok(Ok(Fetched::Body(bytes, validators))) => (bytes, validators),
            Ok(Ok(Fetched::NotModified)) => return Poll::NotModified,
            Ok(Err(e)) => return Poll::Failed(e.to_string()),
            Err(e) => return Poll::Failed(format!("the fetch stopped: {e}")),
        };
        match self.import(bytes).await {
            Ok(report) => {
                // Only a copy that imported is one to compare the next answer with.
                self.have = validators;
                if !report.changed.articles.is_empty() {
                    (self.on_change)(&report.changed);
                }
                Poll::Imported(report)
            }
            Err(e) => Poll::Failed(e.to_string()),
        }
    }

    async fn import(&self, bytes: Vec<u8>) -> Result<Report, ImportError> {
        let sections = self.store.sections().await?;
        let options = Options {
            section: self.feed.section.clone(),
            source: self.feed.source.clone(),
        };
        let base = self.feed.url.clone();
        // Reading a large feed is CPU work: off the async threads.
        let prepared = tokio::task::spawn_blocking(move || {
            import::prepare(&bytes, Format::Auto, &options, Some(&base), &sections)
        })
        .await
        .map_err(|e| ImportError::NotAFeed(format!("reading it stopped: {e}")))??;
        let mut report = prepared.report;
        if !prepared.items.is_empty() {
            let written = self.store.import(prepared.items).await?;
            report.created = written.created;
            report.updated = written.updated;
        }
        Ok(report)
    }

    /// Polls for ever: at once, then after each [`Follower::next_delay`].
    pub async fn run(mut self) {
        loop {
            self.poll().await;
            tokio::time::sleep(self.next_delay()).await;
        }
    }
}

/// Starts following every feed, each in a task of its own.
pub fn spawn_all(
    store: Arc<dyn Store>,
    feeds: Vec<FeedConfig>,
    on_change: OnChange,
) -> Vec<tokio::task::JoinHandle<()>> {
    feeds
        .into_iter()
        .map(|feed| {
            let follower = Follower::new(Arc::clone(&store), feed, Arc::clone(&on_change));
            tokio::spawn(follower.run())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_per_failure_up_to_six_hours() {
        let dir = tempfile::tempdir().expect("dir");
        let store = crate::store::sqlite::SqliteStore::open(&dir.path().join("f.db"))
            .expect("db")
            .store;
        let feed = FeedConfig {
            url: "http://127.0.0.1:9/".into(),
            section: None,
            source: None,
            interval: 60,
            timeout: 1,
        };
        let on_change: OnChange = Arc::new(|_| {});
        let mut follower = Follower::new(Arc::new(store), feed, on_change);
        let delays: Vec<u64> = (0..12)
            .map(|n| {
                follower.failures = n;
                follower.next_delay().as_secs()
            })
            .collect();
        assert_eq!(
            delays,
            [
                60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600, 21600, 21600
            ]
        );
        follower.failures = u32::MAX;
        assert_eq!(follower.next_delay(), MAX_BACKOFF);
    }

    #[test]
    fn a_follow_file_is_read_and_checked() {
        let feeds = parse(
            "[[feed]]\nurl = \"https://a.example/rss\"\nsection = \"world\"\ninterval = 60\n\n\
             [[feed]]\nurl = \"http://b.example/atom\"\nsource = \"B\"\n",
        )
        .expect("parses");
        assert_eq!(feeds.len(), 2);
        assert_eq!(feeds[0].interval, 60);
        assert_eq!(feeds[1].interval, 900);
        assert_eq!(feeds[1].source.as_deref(), Some("B"));
        assert!(parse("[[feed]]\nurl = \"file:///etc/passwd\"\n").is_err());
        assert!(
            parse("[[feed]]\nurl = \"https://a.example\"\nsection = \"Not A Slug\"\n").is_err()
        );
        assert!(parse("[[feed]]\nurl = \"https://a.example\"\nintervall = 5\n").is_err());
    }
}
