//! The sidebar modules and the home page, computed from the database for each request.
//!
//! Every list breaks ties the same way — newer first, then higher id — so the same data always
//! gives the same order.

use broadsheet_model::{Article, ArticleSummary, Front, Module, ModuleItem, Section, SectionFront};
use rusqlite::{Connection, OptionalExtension, params};

use crate::store::StoreError;
use crate::store::sqlite::articles;

const DAY: i64 = 86_400;
/// Items in a numbered module.
const RANKED: u32 = 5;
/// Items in the Latest Stories list.
const LATEST: u32 = 6;
/// Items in the Weekly Best Articles list.
const WEEKLY: u32 = 10;

/// The columns every module query selects, in this order.
const ITEM: &str = "a.slug, a.headline, s.slug, s.name";

fn items(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<ModuleItem>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for (rank, row) in (1..).zip(rows) {
        let (slug, headline, section_slug, section_name) = row?;
        out.push(ModuleItem {
            rank,
            slug,
            headline,
            section: Section {
                slug: section_slug,
                name: section_name,
            },
        });
    }
    Ok(out)
}

/// Most viewed since `since` (Unix seconds).
fn most_viewed(conn: &Connection, since: i64, limit: u32) -> Result<Vec<ModuleItem>, StoreError> {
    items(
        conn,
        &format!(
            "SELECT {ITEM} FROM article_views v
             JOIN articles a ON a.id = v.article_id JOIN sections s ON s.id = a.section_id
             WHERE v.viewed_at >= ?1
             GROUP BY a.id ORDER BY COUNT(*) DESC, a.published_at DESC, a.id DESC LIMIT ?2"
        ),
        params![since, limit],
    )
}

fn must_reads(conn: &Connection) -> Result<Vec<ModuleItem>, StoreError> {
    items(
        conn,
        &format!(
            "SELECT {ITEM} FROM articles a JOIN sections s ON s.id = a.section_id
             WHERE a.editors_pick = 1 ORDER BY a.published_at DESC, a.id DESC LIMIT ?1"
        ),
        [RANKED],
    )
}

/// Newest in the article's section, without the article.
fn latest_in_section(
    conn: &Connection,
    article: i64,
    section: i64,
) -> Result<Vec<ModuleItem>, StoreError> {
    items(
        conn,
        &format!(
            "SELECT {ITEM} FROM articles a JOIN sections s ON s.id = a.section_id
             WHERE a.section_id = ?1 AND a.id != ?2
             ORDER BY a.published_at DESC, a.id DESC LIMIT ?3"
        ),
        params![section, article, LATEST],
    )
}

/// Related by the number of shared tags, then by section; never the article itself.
fn related(conn: &Connection, article: i64, section: i64) -> Result<Vec<ModuleItem>, StoreError> {
    items(
        conn,
        &format!(
            "SELECT {ITEM} FROM (
                SELECT a.id, a.published_at, a.section_id = ?2 AS same_section,
                       (SELECT COUNT(*) FROM article_tags t
                        WHERE t.article_id = a.id
                          AND t.tag IN (SELECT tag FROM article_tags WHERE article_id = ?1)) AS shared
                FROM articles a WHERE a.id != ?1
             ) r
             JOIN articles a ON a.id = r.id JOIN sections s ON s.id = a.section_id
             WHERE r.shared > 0 OR r.same_section
             ORDER BY r.shared DESC, r.same_section DESC, a.published_at DESC, a.id DESC LIMIT ?3"
        ),
        params![article, section, RANKED],
    )
}

fn module(id: &str, title: String, numbered: bool, items: Vec<ModuleItem>) -> Option<Module> {
    (!items.is_empty()).then(|| Module {
        id: id.to_owned(),
        title,
        numbered,
        items,
    })
}

/// The modules of a page at time `now`: an article's (`Some(slug)`), or a front's (`None`).
/// `Ok(None)` when there is no such article. Empty modules are left out.
pub(super) fn for_page(
    conn: &Connection,
    article: Option<&str>,
    now: i64,
) -> Result<Option<Vec<Module>>, StoreError> {
    let current = match article {
        None => None,
        Some(slug) => {
            let found = conn
                .query_row(
                    "SELECT a.id, a.section_id, s.name FROM articles a JOIN sections s ON s.id = a.section_id
                     WHERE a.slug = ?1",
                    [slug],
                    |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)),
                )
                .optional()?;
            match found {
                Some(found) => Some(found),
                None => return Ok(None),
            }
        }
    };
    let mut modules = Vec::new();
    if let Some((id, section, name)) = &current {
        modules.push(module(
            "latest-stories",
            format!("[{}] Latest Stories", name.to_uppercase()),
            false,
            latest_in_section(conn, *id, *section)?,
        ));
        modules.push(module(
            "you-may-also-like",
            "You May Also Like".into(),
            true,
            related(conn, *id, *section)?,
        ));
    }
    modules.push(module(
        "popular-now",
        "Popular Now".into(),
        true,
        most_viewed(conn, now - DAY, RANKED)?,
    ));
    modules.push(module(
        "weekly-best",
        "Weekly Best Articles".into(),
        false,
        most_viewed(conn, now - 7 * DAY, WEEKLY)?,
    ));
    modules.push(module(
        "must-reads",
        "Must-Reads".into(),
        true,
        must_reads(conn)?,
    ));
    Ok(Some(modules.into_iter().flatten().collect()))
}

fn summaries(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<ArticleSummary>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let docs = stmt.query_map(params, |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for doc in docs {
        let article: Article = serde_json::from_str(&doc?)?;
        out.push(ArticleSummary::from(&article));
    }
    Ok(out)
}

/// The home page: the newest story with an image leads (the newest of all if none has one), then
/// each section's newest `per_section` other stories.
pub(super) fn front(conn: &Connection, per_section: u32) -> Result<Front, StoreError> {
    let lead_id: Option<i64> = conn
        .query_row(
            "SELECT id FROM articles ORDER BY json_extract(doc, '$.image') IS NOT NULL DESC,
                    published_at DESC, id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let lead = match lead_id {
        Some(id) => summaries(conn, "SELECT doc FROM articles WHERE id = ?1", [id])?.pop(),
        None => None,
    };
    let mut sections = Vec::new();
    for section in articles::sections(conn)? {
        let items = summaries(
            conn,
            "SELECT a.doc FROM articles a JOIN sections s ON s.id = a.section_id
             WHERE s.slug = ?1 AND a.id IS NOT ?2
             ORDER BY a.published_at DESC, a.id DESC LIMIT ?3",
            params![section.slug, lead_id, per_section],
        )?;
        if !items.is_empty() {
            sections.push(SectionFront { section, items });
        }
    }
    Ok(Front { lead, sections })
}

/// Demo page views: a new demo database gets a week of views spread over time (more for the
/// articles with bigger counts, recent for some), so "Popular Now" and "Weekly Best" have
/// something to show at once. Deterministic for a given `now`.
pub(super) fn seed_demo_views(conn: &mut Connection, now: i64) -> Result<usize, StoreError> {
    let tx = conn.transaction()?;
    let articles: Vec<(i64, i64)> = {
        let mut stmt = tx.prepare("SELECT id, views FROM articles ORDER BY id")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?
    };
    let mut inserted = 0;
    for (i, (id, views)) in articles.into_iter().enumerate() {
        let events = (views / 250).clamp(1, 80);
        // Every third article is read mostly today; the others over the week.
        let window = if i % 3 == 0 { DAY } else { 7 * DAY };
        for j in 0..events {
            let offset = (j * 7_919 + i as i64 * 104_729) % window;
            tx.execute(
                "INSERT INTO article_views (article_id, viewed_at) VALUES (?1, ?2)",
                params![id, now - offset],
            )?;
            inserted += 1;
        }
    }
    tx.commit()?;
    Ok(inserted)
}
