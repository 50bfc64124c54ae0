//! The SQLite store: a connection pool, the schema migrations, and the queries, run on tokio's
//! blocking pool (rusqlite is synchronous).

mod articles;
mod comments;
mod import;
mod listings;
mod modules;
mod search;
mod syndication;

use std::path::Path;

use async_trait::async_trait;
use broadsheet_model::{ArticleSummary, CommentPage, Front, Listing, Module, Page, Section};
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::Connection;
use rusqlite::config::DbConfig;
use rusqlite_migration::{M, Migrations};

use crate::store::{
    Cursor, FeedOf, HourlyViews, ImportItem, Imported, ListOf, Moderated, NewPost, NewsEntry,
    Posted, Report, Screen, ScreenQuery, SearchCursor, SitemapEntry, SitemapPart, Store,
    StoreError,
};

pub type Pool = r2d2::Pool<SqliteConnectionManager>;

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Database(Box::new(e))
    }
}

impl From<r2d2::Error> for StoreError {
    fn from(e: r2d2::Error) -> Self {
        StoreError::Pool(Box::new(e))
    }
}

/// The SQLite database, cheap to clone.
#[derive(Clone)]
pub struct SqliteStore {
    pool: Pool,
}

/// What opening the database found.
pub struct Opened {
    pub store: SqliteStore,
    /// True when this start created the schema: the database was new.
    pub created: bool,
}

fn configure(conn: &mut Connection) -> rusqlite::Result<()> {
    // WAL lets readers run beside the writer; FULL syncs every commit, so an acknowledged write
    // survives a crash; the busy timeout makes writers queue instead of failing.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // One plan per statement, whatever its parameters: without this SQLite (3.50) compiles a
    // statement again each time a parameter its planner looked at is bound anew, and it looks
    // at every `LIMIT ?` — every page of every list. At 100,000 articles an uncached search
    // spent a tenth of its time in the parser.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(())
}

/// Fills `articles.author_slug` in for the articles already there, as the version that adds it
/// is applied (in its transaction).
fn fill_author_slugs(tx: &rusqlite::Transaction) -> rusqlite_migration::HookResult {
    let mut read = tx.prepare(
        "SELECT id, json_extract(doc, '$.byline.name') FROM articles
         WHERE json_extract(doc, '$.byline.name') IS NOT NULL",
    )?;
    let names = read
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    let mut write = tx.prepare("UPDATE articles SET author_slug = ?2 WHERE id = ?1")?;
    for (id, name) in names {
        let slug = Some(broadsheet_model::author_slug(&name)).filter(|s| !s.is_empty());
        write.execute(rusqlite::params![id, slug])?;
    }
    Ok(())
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> anyhow::Result<Opened> {
        Self::open_with(path, None)
    }

    /// [`SqliteStore::open`], with every statement the store runs given to `trace` (the query
    /// plan tests read them).
    pub fn open_traced(path: &Path, trace: fn(&str)) -> anyhow::Result<Opened> {
        Self::open_with(path, Some(trace))
    }

    fn open_with(path: &Path, trace: Option<fn(&str)>) -> anyhow::Result<Opened> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let manager = SqliteConnectionManager::file(path).with_init(move |conn| {
            configure(conn)?;
            // The first trace API gives each statement with its parameters written in, which
            // is what EXPLAIN QUERY PLAN needs; `trace_v2` would give the bare text.
            #[allow(deprecated)]
            conn.trace(trace);
            Ok(())
        });
        let pool = r2d2::Pool::builder().max_size(8).build(manager)?;
        let mut conn = pool.get()?;
        let migrations = Migrations::new(
            crate::store::migrations::VERSIONS
                .iter()
                .map(|v| {
                    if v.number == crate::store::migrations::AUTHOR_SLUGS {
                        M::up_with_hook(v.sqlite, fill_author_slugs)
                    } else {
                        M::up(v.sqlite)
                    }
                })
                .collect(),
        );
        let before: usize = migrations.current_version(&conn)?.into();
        migrations.to_latest(&mut conn)?;
        let indexed = search::backfill(&mut conn)?;
        if indexed > 0 {
            tracing::info!(
                indexed,
                "search: indexed articles stored before search existed"
            );
        }
        drop(conn);
        Ok(Opened {
            store: SqliteStore { pool },
            created: before == 0,
        })
    }

    /// Runs `f` with a pooled connection on the blocking thread pool.
    async fn run<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await?
    }

    /// A connection for synchronous callers that look at the tables themselves (tests).
    pub fn conn(&self) -> Result<r2d2::PooledConnection<SqliteConnectionManager>, StoreError> {
        Ok(self.pool.get()?)
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn article(&self, slug: &str) -> Result<Option<broadsheet_model::Article>, StoreError> {
        let slug = slug.to_owned();
        self.run(move |c| articles::article(c, &slug)).await
    }

    async fn latest(
        &self,
        section: Option<&str>,
        limit: u32,
        cursor: Option<Cursor>,
    ) -> Result<Option<Page<ArticleSummary>>, StoreError> {
        let section = section.map(str::to_owned);
        self.run(move |c| {
            if let Some(section) = &section
                && !articles::section_exists(c, section)?
            {
                return Ok(None);
            }
            articles::latest(c, section.as_deref(), limit, cursor).map(Some)
        })
        .await
    }

    async fn listing(
        &self,
        of: &ListOf,
        limit: u32,
        cursor: Option<Cursor>,
    ) -> Result<Option<Listing>, StoreError> {
        let of = of.clone();
        self.run(move |c| listings::listing(c, &of, limit, cursor))
            .await
    }

    async fn sections(&self) -> Result<Vec<Section>, StoreError> {
        self.run(|c| articles::sections(c)).await
    }

    async fn front(&self, per_section: u32) -> Result<Front, StoreError> {
        self.run(move |c| modules::front(c, per_section)).await
    }

    async fn article_modules(&self, slug: &str) -> Result<Option<Vec<Module>>, StoreError> {
        let slug = slug.to_owned();
        self.run(move |c| modules::for_article(c, &slug)).await
    }

    async fn rankings(&self, now: i64) -> Result<Vec<Module>, StoreError> {
        self.run(move |c| modules::rankings(c, now)).await
    }

    async fn first_screen(&self, query: ScreenQuery) -> Result<Screen, StoreError> {
        self.run(move |c| {
            let front = match query.front {
                Some(per_section) => Some(modules::front(c, per_section)?),
                None => None,
            };
            let stories = match &query.section {
                Some((slug, limit)) => Some(articles::latest(c, Some(slug), *limit, None)?),
                None => None,
            };
            Ok(Screen {
                sections: articles::sections(c)?,
                front,
                stories,
            })
        })
        .await
    }

    async fn record_views(&self, views: Vec<HourlyViews>) -> Result<(), StoreError> {
        self.run(move |c| articles::record_views(c, &views)).await
    }

    async fn comments(
        &self,
        slug: &str,
        limit: u32,
        before: Option<i64>,
    ) -> Result<Option<CommentPage>, StoreError> {
        let slug = slug.to_owned();
        self.run(move |c| comments::page(c, &slug, limit, before.unwrap_or(i64::MAX)))
            .await
    }

    async fn earlier_post(&self, post: &NewPost) -> Result<Option<Posted>, StoreError> {
        let post = post.clone();
        self.run(move |c| comments::earlier(c, &post)).await
    }

    async fn post_comment(&self, post: NewPost) -> Result<Posted, StoreError> {
        self.run(move |c| comments::post(c, &post)).await
    }

    async fn report_comment(&self, report: Report) -> Result<bool, StoreError> {
        self.run(move |c| comments::report(c, &report)).await
    }

    async fn moderation_list(&self, status: Option<&str>) -> Result<Vec<Moderated>, StoreError> {
        let status = status.map(str::to_owned);
        self.run(move |c| comments::moderation_list(c, status.as_deref()))
            .await
    }

    async fn approve_comment(&self, id: i64) -> Result<bool, StoreError> {
        self.run(move |c| comments::approve(c, id)).await
    }

    async fn remove_comment(&self, id: i64) -> Result<bool, StoreError> {
        self.run(move |c| comments::remove(c, id)).await
    }

    async fn comment_article(&self, id: i64) -> Result<Option<String>, StoreError> {
        self.run(move |c| comments::article_of(c, id)).await
    }

    async fn import(&self, items: Vec<ImportItem>) -> Result<Imported, StoreError> {
        self.run(move |c| import::write(c, &items)).await
    }

    async fn seed_demo_views(&self, now: i64) -> Result<usize, StoreError> {
        self.run(move |c| modules::seed_demo_views(c, now)).await
    }

    async fn article_count(&self) -> Result<u64, StoreError> {
        self.run(|c| articles::article_count(c)).await
    }

    async fn feed(
        &self,
        listing: &FeedOf,
        limit: u32,
    ) -> Result<Option<Vec<broadsheet_model::Article>>, StoreError> {
        let listing = listing.clone();
        self.run(move |c| syndication::feed(c, &listing, limit))
            .await
    }

    async fn sitemap_parts(&self, per_part: u32) -> Result<Vec<SitemapPart>, StoreError> {
        self.run(move |c| syndication::sitemap_parts(c, per_part))
            .await
    }

    async fn sitemap_part(
        &self,
        part: u32,
        per_part: u32,
    ) -> Result<Vec<SitemapEntry>, StoreError> {
        self.run(move |c| syndication::sitemap_part(c, part, per_part))
            .await
    }

    async fn published_since(&self, since: i64, limit: u32) -> Result<Vec<NewsEntry>, StoreError> {
        self.run(move |c| syndication::published_since(c, since, limit))
            .await
    }

    async fn search(
        &self,
        terms: Vec<String>,
        limit: u32,
        cursor: Option<SearchCursor>,
    ) -> Result<Page<(String, SearchCursor)>, StoreError> {
        self.run(move |c| search::search(c, &terms, limit, cursor))
            .await
    }
}
