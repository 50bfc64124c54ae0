//! The sidebar modules and the home page in Postgres (as `store::sqlite::modules`, whose
//! rules and tie-breaks these queries follow: newer first, then the higher id).

use std::cmp::Reverse;
use std::collections::HashMap;

use broadsheet_model::{Article, ArticleSummary, Front, Module, ModuleItem, Section, SectionFront};
use deadpool_postgres::{Client, GenericClient};
use tokio_postgres::types::ToSql;

use crate::store::StoreError;
use crate::store::postgres::articles;

const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;
/// Items in a numbered module.
const RANKED: i64 = 5;
/// Items in the Latest Stories list.
const LATEST: i64 = 6;
/// Items in the Weekly Best Articles list.
const WEEKLY: i64 = 10;
/// How many of the newest articles of each tag are weighed as related stories (as SQLite's).
const RELATED_PER_TAG: i64 = 200;

/// The columns every module query selects, in this order.
const ITEM: &str = "a.slug, a.headline, s.slug, s.name";

async fn items(
    c: &impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<ModuleItem>, StoreError> {
    let stmt = c.prepare_cached(sql).await?;
    Ok((1..)
        .zip(c.query(&stmt, params).await?)
        .map(|(rank, r)| ModuleItem {
            rank,
            slug: r.get(0),
            headline: r.get(1),
            section: Section {
                slug: r.get(2),
                name: r.get(3),
            },
        })
        .collect())
}

async fn most_viewed(
    c: &impl GenericClient,
    since_hour: i64,
    limit: i64,
) -> Result<Vec<ModuleItem>, StoreError> {
    items(
        c,
        &format!(
            "SELECT {ITEM} FROM (
                SELECT article_id, SUM(views) AS n FROM article_view_hours
                WHERE hour >= $1 GROUP BY article_id
             ) v
             JOIN articles a ON a.id = v.article_id JOIN sections s ON s.id = a.section_id
             ORDER BY v.n DESC, a.published_at DESC, a.id DESC LIMIT $2"
        ),
        &[&since_hour, &limit],
    )
    .await
}

async fn must_reads(c: &impl GenericClient) -> Result<Vec<ModuleItem>, StoreError> {
    items(
        c,
        &format!(
            "SELECT {ITEM} FROM articles a JOIN sections s ON s.id = a.section_id
             WHERE a.editors_pick ORDER BY a.published_at DESC, a.id DESC LIMIT $1"
        ),
        &[&RANKED],
    )
    .await
}

async fn latest_in_section(
    c: &impl GenericClient,
    article: i64,
    section: i64,
) -> Result<Vec<ModuleItem>, StoreError> {
    items(
        c,
        &format!(
            "SELECT {ITEM} FROM articles a JOIN sections s ON s.id = a.section_id
             WHERE a.section_id = $1 AND a.id != $2
             ORDER BY a.published_at DESC, a.id DESC LIMIT $3"
        ),
        &[&section, &article, &LATEST],
    )
    .await
}

/// Related by the number of shared tags, then by section, then newer first; never the article
/// itself. Candidates as SQLite's: the newest of each tag and of the section.
async fn related(
    c: &impl GenericClient,
    article: i64,
    section: i64,
) -> Result<Vec<ModuleItem>, StoreError> {
    let mut shared: HashMap<i64, u32> = HashMap::new();
    let tags = c
        .prepare_cached("SELECT tag FROM article_tags WHERE article_id = $1")
        .await?;
    let tagged = c
        .prepare_cached(
            "SELECT article_id FROM article_tags WHERE tag = $1 AND article_id != $2
             ORDER BY article_id DESC LIMIT $3",
        )
        .await?;
    for row in c.query(&tags, &[&article]).await? {
        let tag: &str = row.get(0);
        for id in c
            .query(&tagged, &[&tag, &article, &RELATED_PER_TAG])
            .await?
        {
            *shared.entry(id.get(0)).or_default() += 1;
        }
    }
    let same = c
        .prepare_cached(
            "SELECT id FROM articles WHERE section_id = $1 AND id != $2
             ORDER BY published_at DESC, id DESC LIMIT $3",
        )
        .await?;
    for id in c.query(&same, &[&section, &article, &RANKED]).await? {
        shared.entry(id.get(0)).or_default();
    }
    let ids: Vec<i64> = shared.keys().copied().collect();
    let info = c
        .prepare_cached("SELECT id, section_id = $2, published_at FROM articles WHERE id = ANY($1)")
        .await?;
    let mut ranked: Vec<_> = c
        .query(&info, &[&ids, &section])
        .await?
        .iter()
        .map(|r| {
            let id: i64 = r.get(0);
            let tags = shared.get(&id).copied().unwrap_or(0);
            (
                Reverse(tags),
                Reverse(r.get::<_, bool>(1)),
                Reverse(r.get::<_, i64>(2)),
                Reverse(id),
            )
        })
        .collect();
    ranked.sort_unstable();
    let mut out = Vec::new();
    let one = format!(
        "SELECT {ITEM} FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.id = $1"
    );
    for (_, _, _, Reverse(id)) in ranked.into_iter().take(RANKED as usize) {
        out.extend(items(c, &one, &[&id]).await?);
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

pub(super) async fn for_article(
    c: &impl GenericClient,
    slug: &str,
) -> Result<Option<Vec<Module>>, StoreError> {
    let stmt = c
        .prepare_cached(
            "SELECT a.id, a.section_id, s.name FROM articles a JOIN sections s ON s.id = a.section_id
             WHERE a.slug = $1",
        )
        .await?;
    let Some(found) = c.query_opt(&stmt, &[&slug]).await? else {
        return Ok(None);
    };
    let (id, section, name): (i64, i64, String) = (found.get(0), found.get(1), found.get(2));
    let modules = [
        module(
            "latest-stories",
            format!("[{}] Latest Stories", name.to_uppercase()),
            false,
            latest_in_section(c, id, section).await?,
        ),
        module(
            "you-may-also-like",
            "You May Also Like".into(),
            true,
            related(c, id, section).await?,
        ),
    ];
    Ok(Some(modules.into_iter().flatten().collect()))
}

pub(super) async fn rankings(c: &impl GenericClient, now: i64) -> Result<Vec<Module>, StoreError> {
    let hour = now.div_euclid(HOUR);
    let modules = [
        module(
            "popular-now",
            "Popular Now".into(),
            true,
            most_viewed(c, hour - DAY / HOUR, RANKED).await?,
        ),
        module(
            "weekly-best",
            "Weekly Best Articles".into(),
            false,
            most_viewed(c, hour - 7 * DAY / HOUR, WEEKLY).await?,
        ),
        module(
            "must-reads",
            "Must-Reads".into(),
            true,
            must_reads(c).await?,
        ),
    ];
    Ok(modules.into_iter().flatten().collect())
}

async fn summaries(
    c: &impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<ArticleSummary>, StoreError> {
    let stmt = c.prepare_cached(sql).await?;
    let mut out = Vec::new();
    for row in c.query(&stmt, params).await? {
        let article: Article = serde_json::from_str(row.get::<_, &str>(0))?;
        out.push(ArticleSummary::from(&article));
    }
    Ok(out)
}

pub(super) async fn front(c: &impl GenericClient, per_section: u32) -> Result<Front, StoreError> {
    let newest = async |sql: &str| -> Result<Option<i64>, StoreError> {
        let stmt = c.prepare_cached(sql).await?;
        Ok(c.query_opt(&stmt, &[]).await?.map(|r| r.get(0)))
    };
    let lead_id = match newest(
        "SELECT id FROM articles WHERE has_image ORDER BY published_at DESC, id DESC LIMIT 1",
    )
    .await?
    {
        Some(id) => Some(id),
        None => {
            newest("SELECT id FROM articles ORDER BY published_at DESC, id DESC LIMIT 1").await?
        }
    };
    let lead = match lead_id {
        Some(id) => summaries(c, "SELECT doc FROM articles WHERE id = $1", &[&id])
            .await?
            .pop(),
        None => None,
    };
    let per_section = i64::from(per_section);
    let mut sections = Vec::new();
    for section in articles::sections(c).await? {
        let items = summaries(
            c,
            "SELECT doc FROM articles
             WHERE section_id = (SELECT id FROM sections WHERE slug = $1)
               AND id IS DISTINCT FROM $2
             ORDER BY published_at DESC, id DESC LIMIT $3",
            &[&section.slug, &lead_id, &per_section],
        )
        .await?;
        if !items.is_empty() {
            sections.push(SectionFront { section, items });
        }
    }
    Ok(Front { lead, sections })
}

/// Demo page views for a new demo database, as SQLite's (deterministic for a given `now`).
pub(super) async fn seed_demo_views(c: &mut Client, now: i64) -> Result<usize, StoreError> {
    let tx = c.transaction().await?;
    let articles: Vec<(i64, i64)> = tx
        .query("SELECT id, views FROM articles ORDER BY id", &[])
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let add = tx
        .prepare_cached(
            "INSERT INTO article_view_hours (article_id, hour, views) VALUES ($1, $2, 1)
             ON CONFLICT (article_id, hour) DO UPDATE SET views = article_view_hours.views + 1",
        )
        .await?;
    let mut inserted = 0;
    for (i, (id, views)) in articles.into_iter().enumerate() {
        let events = (views / 250).clamp(1, 80);
        let window = if i % 3 == 0 { DAY } else { 7 * DAY };
        for j in 0..events {
            let offset = (j * 7_919 + i as i64 * 104_729) % window;
            tx.execute(&add, &[&id, &(now - offset).div_euclid(HOUR)])
                .await?;
            inserted += 1;
        }
    }
    tx.commit().await?;
    Ok(inserted)
}
