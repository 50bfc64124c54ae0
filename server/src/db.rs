//! The SQLite database: connection pool, schema migrations and queries.
//!
//! rusqlite is synchronous, so handlers run queries on tokio's blocking pool through [`Db::run`].

use std::path::Path;

use broadsheet_model::{Article, ArticleSummary, Page, Section};
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{Connection, OptionalExtension, params};
use rusqlite_migration::{M, Migrations};

use crate::error::AppError;

pub type Pool = r2d2::Pool<SqliteConnectionManager>;

const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("../migrations/001_articles.sql")),
    M::up(include_str!("../migrations/002_comments.sql")),
];

/// A handle on the database, cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
}

/// What opening the database found.
pub struct Opened {
    pub db: Db,
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
    Ok(())
}

impl Db {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> anyhow::Result<Opened> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let manager = SqliteConnectionManager::file(path).with_init(configure);
        let pool = r2d2::Pool::builder().max_size(8).build(manager)?;
        let mut conn = pool.get()?;
        let migrations = Migrations::from_slice(MIGRATIONS);
        let before: usize = migrations.current_version(&conn)?.into();
        migrations.to_latest(&mut conn)?;
        drop(conn);
        Ok(Opened {
            db: Db { pool },
            created: before == 0,
        })
    }

    /// Runs `f` with a pooled connection on the blocking thread pool.
    pub async fn run<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, AppError> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await?
    }

    /// A connection for synchronous callers (the CLI and tests).
    pub fn conn(&self) -> Result<r2d2::PooledConnection<SqliteConnectionManager>, AppError> {
        Ok(self.pool.get()?)
    }
}

/// One article by slug, with its live counters (the comment count counts visible comments).
pub fn article(conn: &Connection, slug: &str) -> Result<Option<Article>, AppError> {
    // The busiest query: its statement is prepared once per connection, not per request.
    let row = conn
        .prepare_cached(
            "SELECT doc, views,
                    (SELECT COUNT(*) FROM comments c WHERE c.article_id = a.id AND c.status = 'visible')
             FROM articles a WHERE slug = ?1",
        )?
        .query_row(
            [slug],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            },
        )
        .optional()?;
    let Some((doc, views, comments)) = row else {
        return Ok(None);
    };
    let mut article: Article = serde_json::from_str(&doc)?;
    article.views = u64::try_from(views).unwrap_or(0);
    article.comment_count = u64::try_from(comments).unwrap_or(0);
    Ok(Some(article))
}

/// A position in the newest-first list of articles: after the article published at `published`
/// with row id `id`. Encoded as `"{published}.{id}"`; opaque to clients.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub published: i64,
    pub id: i64,
}

impl Cursor {
    pub fn parse(s: &str) -> Option<Cursor> {
        let (published, id) = s.split_once('.')?;
        Some(Cursor {
            published: published.parse().ok()?,
            id: id.parse().ok()?,
        })
    }

    pub fn encode(self) -> String {
        format!("{}.{}", self.published, self.id)
    }
}

/// Newest articles first (only those of `section`, if given), `limit` at a time, starting
/// after `cursor`.
pub fn latest(
    conn: &Connection,
    section: Option<&str>,
    limit: u32,
    cursor: Option<Cursor>,
) -> Result<Page<ArticleSummary>, AppError> {
    let after = cursor.unwrap_or(Cursor {
        published: i64::MAX,
        id: i64::MAX,
    });
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.published_at, a.doc FROM articles a JOIN sections s ON s.id = a.section_id
         WHERE (a.published_at, a.id) < (?1, ?2) AND (?4 IS NULL OR s.slug = ?4)
         ORDER BY a.published_at DESC, a.id DESC LIMIT ?3",
    )?;
    // One more than asked tells whether there is a next page.
    let rows = stmt.query_map(
        params![after.published, after.id, limit + 1, section],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        },
    )?;
    let mut items = Vec::new();
    let mut last = None;
    let mut more = false;
    for row in rows {
        let (id, published, doc) = row?;
        if items.len() == limit as usize {
            more = true;
            break;
        }
        let article: Article = serde_json::from_str(&doc)?;
        items.push(ArticleSummary::from(&article));
        last = Some(Cursor { published, id });
    }
    Ok(Page {
        items,
        next_cursor: if more { last.map(Cursor::encode) } else { None },
    })
}

/// Records one page view of the article at `now` (Unix seconds). False if there is no such article.
pub fn record_view(conn: &mut Connection, slug: &str, now: i64) -> Result<bool, AppError> {
    let tx = conn.transaction()?;
    let id: Option<i64> = tx
        .query_row("SELECT id FROM articles WHERE slug = ?1", [slug], |r| {
            r.get(0)
        })
        .optional()?;
    let Some(id) = id else {
        return Ok(false);
    };
    tx.execute(
        "INSERT INTO article_views (article_id, viewed_at) VALUES (?1, ?2)",
        params![id, now],
    )?;
    tx.execute("UPDATE articles SET views = views + 1 WHERE id = ?1", [id])?;
    tx.commit()?;
    Ok(true)
}

/// Every section that has articles, in the order they were first imported.
pub fn sections(conn: &Connection) -> Result<Vec<Section>, AppError> {
    let mut stmt = conn.prepare_cached(
        "SELECT slug, name FROM sections s
         WHERE EXISTS (SELECT 1 FROM articles a WHERE a.section_id = s.id) ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Section {
            slug: r.get(0)?,
            name: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Whether a section with this slug has articles.
pub fn section_exists(conn: &Connection, slug: &str) -> Result<bool, AppError> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM sections s WHERE s.slug = ?1
             AND EXISTS (SELECT 1 FROM articles a WHERE a.section_id = s.id)",
            [slug],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// How many articles there are.
pub fn article_count(conn: &Connection) -> Result<i64, AppError> {
    Ok(conn.query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))?)
}
