//! The PostgreSQL store, for publishers that run more than one server on one database: a
//! connection pool (`deadpool-postgres` over `tokio-postgres`), the schema migrations (the same
//! versions as SQLite's, `store::migrations`), the queries, and the channel that tells every
//! server what another one changed (`LISTEN broadsheet`, fed by the schema's triggers).
//!
//! Everything SQLite's store promises holds here across servers: writes that belong together
//! are one transaction; a key posted to two servers at once stores one comment (a unique key
//! and `ON CONFLICT DO NOTHING`); reports count under the comment's row lock; and the
//! per-client comment allowance is a row, not a server's memory.

mod articles;
mod comments;
pub mod copy;
mod import;
mod listen;
mod listings;
mod modules;
mod search;
mod syndication;

use std::time::Duration;

use async_trait::async_trait;
use broadsheet_model::{
    Article, ArticleSummary, CommentPage, Front, Listing, Module, Page, Section,
};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio::sync::broadcast;
use tokio_postgres::NoTls;

use crate::store::{
    Change, Cursor, FeedOf, HourlyViews, ImportItem, Imported, ListOf, Moderated, NewPost,
    NewsEntry, Posted, Report, Screen, ScreenQuery, SearchCursor, SitemapEntry, SitemapPart, Store,
    StoreError,
};

/// Whether `db` names a Postgres database (`postgres://…` or `postgresql://…`) rather than a
/// SQLite file.
pub fn is_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// `url` with its password, if any, left out: for logs and error messages.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((user, host)) => match user.split_once(':') {
            Some((name, _)) => format!("{scheme}://{name}:***@{host}{path}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// How the store uses the database.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Connections in the pool.
    pub pool_size: u16,
    /// The longest a statement may run before Postgres cancels it.
    pub statement_timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            pool_size: 16,
            statement_timeout: Duration::from_secs(5),
        }
    }
}

/// How long a request waits for a connection (or for a new one to be made) before it is told
/// the database is busy: readers get a quick 503 while Postgres restarts, not a hang.
const WAIT: Duration = Duration::from_secs(2);

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        use tokio_postgres::error::SqlState;
        // A lost connection, or a server shutting down or starting up, passes: the pool makes
        // a new connection for the next request.
        let gone = e.is_closed()
            || e.code().is_some_and(|c| {
                [
                    SqlState::ADMIN_SHUTDOWN,
                    SqlState::CRASH_SHUTDOWN,
                    SqlState::CANNOT_CONNECT_NOW,
                    SqlState::CONNECTION_FAILURE,
                ]
                .contains(c)
            })
            || std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>());
        if gone {
            StoreError::Unavailable(Box::new(e))
        } else {
            StoreError::Database(Box::new(e))
        }
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        StoreError::Unavailable(Box::new(e))
    }
}

/// The Postgres database, cheap to clone.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    config: tokio_postgres::Config,
    changes: std::sync::Arc<std::sync::OnceLock<broadcast::Sender<Change>>>,
}

/// What opening the database found.
pub struct Opened {
    pub store: PgStore,
    /// True when this start created the schema: the database was new.
    pub created: bool,
}

impl PgStore {
    /// Connects to the database at `url` and brings its schema up to date. Fails, naming the
    /// database, when it cannot be reached.
    pub async fn open(url: &str, options: Options) -> anyhow::Result<Opened> {
        let mut config: tokio_postgres::Config = url.parse()?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(WAIT);
        }
        let timeout_ms = options.statement_timeout.as_millis();
        // Options the URL gives (`?options=…`) are kept; the timeout is added.
        let session = format!(
            "{} -c statement_timeout={timeout_ms}",
            config.get_options().unwrap_or("")
        );
        config.options(session.trim_start());
        config.application_name("broadsheet-server");
        let manager = Manager::from_config(
            config.clone(),
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(usize::from(options.pool_size.max(1)))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(WAIT))
            .create_timeout(Some(WAIT))
            .recycle_timeout(Some(WAIT))
            .build()?;
        let mut client = pool.get().await.map_err(|e| match e {
            deadpool_postgres::PoolError::Backend(e) => anyhow::Error::new(e),
            e => anyhow::Error::new(e),
        })?;
        let created = migrate(&mut client).await?;
        let indexed = search::backfill(&client).await?;
        if indexed > 0 {
            tracing::info!(
                indexed,
                "search: indexed articles stored before search existed"
            );
        }
        drop(client);
        Ok(Opened {
            store: PgStore {
                pool,
                config,
                changes: Default::default(),
            },
            created,
        })
    }

    /// Indexes for search the articles that are not yet (`copy` writes none).
    pub(crate) async fn backfill_search(&self) -> Result<usize, StoreError> {
        search::backfill(&self.client().await?).await
    }

    /// A pooled connection, for what works on the tables themselves (`copy`).
    pub(crate) async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        Ok(self.pool.get().await?)
    }
}

/// Brings the schema to the last version of `store::migrations`, each version in its own
/// transaction. Servers starting together take turns (an advisory lock). True when the
/// database had no schema.
async fn migrate(client: &mut deadpool_postgres::Object) -> anyhow::Result<bool> {
    // Any number: it names this lock among the database's advisory locks.
    const LOCK: i64 = 0x62_726f_6164; // "broad"
    client
        .batch_execute("CREATE TABLE IF NOT EXISTS schema_versions (version INTEGER PRIMARY KEY)")
        .await?;
    let tx = client.transaction().await?;
    // The statement timeout is for readers' requests: a version that fills a new table from
    // a whole archive (009's headline terms: 7 s at 100,000 articles) runs to its end.
    tx.batch_execute("SET LOCAL statement_timeout = 0").await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK])
        .await?;
    let before: i32 = tx
        .query_one("SELECT COALESCE(MAX(version), 0) FROM schema_versions", &[])
        .await?
        .get(0);
    for version in crate::store::migrations::VERSIONS {
        let number = i32::try_from(version.number)?;
        if number <= before {
            continue;
        }
        tx.batch_execute(version.postgres).await?;
        if version.number == crate::store::migrations::AUTHOR_SLUGS {
            fill_author_slugs(&tx).await?;
        }
        tx.execute(
            "INSERT INTO schema_versions (version) VALUES ($1)",
            &[&number],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(before == 0)
}

/// Fills `articles.author_slug` in for the articles already there, as the version that adds it
/// is applied (in its transaction).
async fn fill_author_slugs(tx: &deadpool_postgres::Transaction<'_>) -> anyhow::Result<()> {
    let rows = tx
        .query(
            "SELECT id, doc::jsonb -> 'byline' ->> 'name' FROM articles
             WHERE doc::jsonb -> 'byline' ->> 'name' IS NOT NULL",
            &[],
        )
        .await?;
    let write = tx
        .prepare("UPDATE articles SET author_slug = $2 WHERE id = $1")
        .await?;
    for row in rows {
        let (id, name): (i64, String) = (row.get(0), row.get(1));
        let slug = Some(broadsheet_model::author_slug(&name)).filter(|s| !s.is_empty());
        tx.execute(&write, &[&id, &slug]).await?;
    }
    Ok(())
}

#[async_trait]
impl Store for PgStore {
    async fn article(&self, slug: &str) -> Result<Option<Article>, StoreError> {
        articles::article(&self.client().await?, slug).await
    }

    async fn latest(
        &self,
        section: Option<&str>,
        limit: u32,
        cursor: Option<Cursor>,
    ) -> Result<Option<Page<ArticleSummary>>, StoreError> {
        let c = self.client().await?;
        if let Some(section) = section
            && !articles::section_exists(&c, section).await?
        {
            return Ok(None);
        }
        articles::latest(&c, section, limit, cursor).await.map(Some)
    }

    async fn listing(
        &self,
        of: &ListOf,
        limit: u32,
        cursor: Option<Cursor>,
    ) -> Result<Option<Listing>, StoreError> {
        listings::listing(&self.client().await?, of, limit, cursor).await
    }

    async fn sections(&self) -> Result<Vec<Section>, StoreError> {
        articles::sections(&self.client().await?).await
    }

    async fn front(&self, per_section: u32) -> Result<Front, StoreError> {
        modules::front(&self.client().await?, per_section).await
    }

    async fn article_modules(&self, slug: &str) -> Result<Option<Vec<Module>>, StoreError> {
        modules::for_article(&self.client().await?, slug).await
    }

    async fn rankings(&self, now: i64) -> Result<Vec<Module>, StoreError> {
        modules::rankings(&self.client().await?, now).await
    }

    async fn first_screen(&self, query: ScreenQuery) -> Result<Screen, StoreError> {
        let c = self.client().await?;
        let front = match query.front {
            Some(per_section) => Some(modules::front(&c, per_section).await?),
            None => None,
        };
        let stories = match &query.section {
            Some((slug, limit)) => Some(articles::latest(&c, Some(slug), *limit, None).await?),
            None => None,
        };
        Ok(Screen {
            sections: articles::sections(&c).await?,
            front,
            stories,
        })
    }

    async fn record_views(&self, views: Vec<HourlyViews>) -> Result<(), StoreError> {
        articles::record_views(&mut self.client().await?, views).await
    }

    async fn comments(
        &self,
        slug: &str,
        limit: u32,
        before: Option<i64>,
    ) -> Result<Option<CommentPage>, StoreError> {
        comments::page(
            &self.client().await?,
            slug,
            limit,
            before.unwrap_or(i64::MAX),
        )
        .await
    }

    async fn earlier_post(&self, post: &NewPost) -> Result<Option<Posted>, StoreError> {
        comments::earlier(&self.client().await?, post).await
    }

    async fn post_comment(&self, post: NewPost) -> Result<Posted, StoreError> {
        comments::post(&mut self.client().await?, &post).await
    }

    async fn take_post_allowance(
        &self,
        client: &str,
        per_minute: u32,
        now_ms: i64,
    ) -> Result<Option<Result<(), u64>>, StoreError> {
        comments::take_allowance(&self.client().await?, client, per_minute, now_ms)
            .await
            .map(Some)
    }

    async fn forget_full_allowances(&self, now_ms: i64) -> Result<(), StoreError> {
        self.client()
            .await?
            .execute(
                "DELETE FROM comment_allowances WHERE full_at <= $1",
                &[&now_ms],
            )
            .await?;
        Ok(())
    }

    async fn report_comment(&self, report: Report) -> Result<bool, StoreError> {
        comments::report(&mut self.client().await?, &report).await
    }

    async fn moderation_list(&self, status: Option<&str>) -> Result<Vec<Moderated>, StoreError> {
        comments::moderation_list(&self.client().await?, status).await
    }

    async fn approve_comment(&self, id: i64) -> Result<bool, StoreError> {
        comments::approve(&self.client().await?, id).await
    }

    async fn remove_comment(&self, id: i64) -> Result<bool, StoreError> {
        comments::remove(&self.client().await?, id).await
    }

    async fn comment_article(&self, id: i64) -> Result<Option<String>, StoreError> {
        comments::article_of(&self.client().await?, id).await
    }

    async fn import(&self, items: Vec<ImportItem>) -> Result<Imported, StoreError> {
        import::write(&mut self.client().await?, &items).await
    }

    async fn seed_demo_views(&self, now: i64) -> Result<usize, StoreError> {
        modules::seed_demo_views(&mut self.client().await?, now).await
    }

    async fn article_count(&self) -> Result<u64, StoreError> {
        articles::article_count(&self.client().await?).await
    }

    async fn feed(&self, listing: &FeedOf, limit: u32) -> Result<Option<Vec<Article>>, StoreError> {
        syndication::feed(&self.client().await?, listing, limit).await
    }

    async fn sitemap_parts(&self, per_part: u32) -> Result<Vec<SitemapPart>, StoreError> {
        syndication::sitemap_parts(&self.client().await?, per_part).await
    }

    async fn sitemap_part(
        &self,
        part: u32,
        per_part: u32,
    ) -> Result<Vec<SitemapEntry>, StoreError> {
        syndication::sitemap_part(&self.client().await?, part, per_part).await
    }

    async fn published_since(&self, since: i64, limit: u32) -> Result<Vec<NewsEntry>, StoreError> {
        syndication::published_since(&self.client().await?, since, limit).await
    }

    async fn search(
        &self,
        terms: Vec<String>,
        limit: u32,
        cursor: Option<SearchCursor>,
    ) -> Result<Page<(String, SearchCursor)>, StoreError> {
        search::search(&self.client().await?, &terms, limit, cursor).await
    }

    fn changes(&self) -> Option<broadcast::Receiver<Change>> {
        let sender = self.changes.get_or_init(|| {
            let (sender, _) = broadcast::channel(1024);
            tokio::spawn(listen::run(self.config.clone(), sender.clone()));
            sender
        });
        Some(sender.subscribe())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_select_postgres_and_passwords_stay_out_of_messages() {
        assert!(is_url("postgres://db/x") && is_url("postgresql://db/x"));
        assert!(!is_url("data/broadsheet.db") && !is_url("postgres.db"));
        assert_eq!(
            redacted("postgres://news:s3cret@db.internal:5432/broadsheet"),
            "postgres://news:***@db.internal:5432/broadsheet"
        );
        assert_eq!(
            redacted("postgres://news@db.internal/broadsheet"),
            "postgres://news@db.internal/broadsheet"
        );
        assert_eq!(redacted("postgres://db/x?a=b@c"), "postgres://db/x?a=b@c");
    }
}
