//! The sidebar modules and the home page. An article's own modules and the front are read
//! through indexes for each request; the rankings (most viewed, editors' picks) sum the hourly
//! view counters and are computed once a minute by the server (`crate::rankings`), not per page.
//!
//! Every list breaks ties the same way — newer first, then higher id — so the same data always
//! gives the same order.

use std::cmp::Reverse;
use std::collections::HashMap;

use broadsheet_model::{Article, ArticleSummary, Front, Module, ModuleItem, Section, SectionFront};
use rusqlite::{Connection, OptionalExtension, params};

use crate::store::StoreError;
use crate::store::sqlite::articles;

const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;
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

/// Most viewed in the hours from `since_hour` on, from the hourly counters.
fn most_viewed(
    conn: &Connection,
    since_hour: i64,
    limit: u32,
) -> Result<Vec<ModuleItem>, StoreError> {
    items(
        conn,
        &format!(
            "SELECT {ITEM} FROM (
                SELECT article_id, SUM(views) AS n
                FROM article_view_hours INDEXED BY article_view_hours_by_hour
                WHERE hour >= ?1 GROUP BY article_id
             ) v
             JOIN articles a ON a.id = v.article_id JOIN sections s ON s.id = a.section_id
             ORDER BY v.n DESC, a.published_at DESC, a.id DESC LIMIT ?2"
        ),
        params![since_hour, limit],
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

/// How many of the newest articles of each tag are weighed as related stories: a tag on
/// thousands of articles costs no more than one on a few.
pub(super) const RELATED_PER_TAG: u32 = 200;

/// Related by the number of shared tags, then by section, then newer first; never the article
/// itself. Candidates are the [`RELATED_PER_TAG`] newest articles of each of its tags (by when
/// they were added) and the newest of its section, so the cost does not grow with the archive.
fn related(conn: &Connection, article: i64, section: i64) -> Result<Vec<ModuleItem>, StoreError> {
    let mut shared: HashMap<i64, u32> = HashMap::new();
    {
        let mut tags = conn.prepare_cached("SELECT tag FROM article_tags WHERE article_id = ?1")?;
        let tags = tags
            .query_map([article], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        let mut tagged = conn.prepare_cached(
            "SELECT article_id FROM article_tags WHERE tag = ?1 AND article_id != ?2
             ORDER BY article_id DESC LIMIT ?3",
        )?;
        for tag in tags {
            for id in tagged.query_map(params![tag, article, RELATED_PER_TAG], |r| r.get(0))? {
                *shared.entry(id?).or_default() += 1;
            }
        }
        let mut same = conn.prepare_cached(
            "SELECT id FROM articles WHERE section_id = ?1 AND id != ?2
             ORDER BY published_at DESC, id DESC LIMIT ?3",
        )?;
        for id in same.query_map(params![section, article, RANKED], |r| r.get(0))? {
            shared.entry(id?).or_default();
        }
    }
    // Rank the candidates: shared tags, same section, newer, higher id (one query for all).
    let ids = serde_json::to_string(&shared.keys().collect::<Vec<_>>())?;
    let mut info = conn.prepare_cached(
        "SELECT id, section_id = ?2, published_at FROM articles
         WHERE id IN (SELECT value FROM json_each(?1))",
    )?;
    let mut ranked = Vec::with_capacity(shared.len());
    let rows = info.query_map(params![ids, section], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, bool>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (id, same_section, published) = row?;
        let tags = shared.get(&id).copied().unwrap_or(0);
        ranked.push((
            Reverse(tags),
            Reverse(same_section),
            Reverse(published),
            Reverse(id),
        ));
    }
    ranked.sort_unstable();
    let mut out = Vec::new();
    for (_, _, _, Reverse(id)) in ranked.into_iter().take(RANKED as usize) {
        out.extend(items(
            conn,
            &format!(
                "SELECT {ITEM} FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.id = ?1"
            ),
            [id],
        )?);
    }
    for (rank, item) in (1..).zip(out.iter_mut()) {
        item.rank = rank;
    }
    Ok(out)
}

fn module(id: &str, title: String, numbered: bool, items: Vec<ModuleItem>) -> Option<Module> {
    (!items.is_empty()).then(|| Module {
        id: id.to_owned(),
        title,
        numbered,
        items,
    })
}

/// The modules that belong to one article's page: the newest of its section, and related
/// stories. `Ok(None)` when there is no such article. Empty modules are left out.
pub(super) fn for_article(
    conn: &Connection,
    slug: &str,
) -> Result<Option<Vec<Module>>, StoreError> {
    let found = conn
        .prepare_cached(
            "SELECT a.id, a.section_id, s.name FROM articles a JOIN sections s ON s.id = a.section_id
             WHERE a.slug = ?1",
        )?
        .query_row([slug], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?))
        })
        .optional()?;
    let Some((id, section, name)) = found else {
        return Ok(None);
    };
    let modules = [
        module(
            "latest-stories",
            format!("[{}] Latest Stories", name.to_uppercase()),
            false,
            latest_in_section(conn, id, section)?,
        ),
        module(
            "you-may-also-like",
            "You May Also Like".into(),
            true,
            related(conn, id, section)?,
        ),
    ];
    Ok(Some(modules.into_iter().flatten().collect()))
}

/// The modules every page shows, ranked at `now` (Unix seconds): most viewed in the last day
/// and week (from the hourly counters; the hour `now` falls in counts), and editors' picks.
/// Empty modules are left out.
pub(super) fn rankings(conn: &Connection, now: i64) -> Result<Vec<Module>, StoreError> {
    let hour = now.div_euclid(HOUR);
    let modules = [
        module(
            "popular-now",
            "Popular Now".into(),
            true,
            most_viewed(conn, hour - DAY / HOUR, RANKED)?,
        ),
        module(
            "weekly-best",
            "Weekly Best Articles".into(),
            false,
            most_viewed(conn, hour - 7 * DAY / HOUR, WEEKLY)?,
        ),
        module("must-reads", "Must-Reads".into(), true, must_reads(conn)?),
    ];
    Ok(modules.into_iter().flatten().collect())
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
    let newest = |sql: &str| -> Result<Option<i64>, StoreError> {
        Ok(conn
            .prepare_cached(sql)?
            .query_row([], |r| r.get(0))
            .optional()?)
    };
    let lead_id = match newest(
        "SELECT id FROM articles WHERE has_image = 1 ORDER BY published_at DESC, id DESC LIMIT 1",
    )? {
        Some(id) => Some(id),
        None => newest("SELECT id FROM articles ORDER BY published_at DESC, id DESC LIMIT 1")?,
    };
    let lead = match lead_id {
        Some(id) => summaries(conn, "SELECT doc FROM articles WHERE id = ?1", [id])?.pop(),
        None => None,
    };
    let mut sections = Vec::new();
    for section in articles::sections(conn)? {
        let items = summaries(
            conn,
            "SELECT doc FROM articles
             WHERE section_id = (SELECT id FROM sections WHERE slug = ?1) AND id IS NOT ?2
             ORDER BY published_at DESC, id DESC LIMIT ?3",
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
                "INSERT INTO article_view_hours (article_id, hour, views) VALUES (?1, ?2, 1)
                 ON CONFLICT (article_id, hour) DO UPDATE SET views = views + 1",
                params![id, (now - offset).div_euclid(HOUR)],
            )?;
            inserted += 1;
        }
    }
    tx.commit()?;
    Ok(inserted)
}
