//! Writing imported articles: one transaction, so a failure writes nothing.

use rusqlite::{Connection, OptionalExtension, params};

use crate::store::{ImportItem, Imported, StoreError, migrations};

/// Writes validated articles in one transaction; an existing slug is updated.
pub(super) fn write(conn: &mut Connection, items: &[ImportItem]) -> Result<Imported, StoreError> {
    let tx = conn.transaction()?;
    let mut imported = Imported::default();
    for item in items {
        let a = &item.article;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM articles WHERE slug = ?1)",
            [&a.slug],
            |r| r.get(0),
        )?;
        if exists {
            imported.updated += 1;
        } else {
            imported.created += 1;
        }
        tx.execute(
            "INSERT INTO sections (slug, name) VALUES (?1, ?2)
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name",
            params![a.section.slug, a.section.name],
        )?;
        let section_id: i64 = tx.query_row(
            "SELECT id FROM sections WHERE slug = ?1",
            [&a.section.slug],
            |r| r.get(0),
        )?;
        // The counters live in their own columns; the stored document leaves them out.
        let mut doc = a.clone();
        doc.views = 0;
        doc.comment_count = 0;
        doc.tags = broadsheet_model::normalize_tags(&a.tags);
        let author = migrations::author_slug(a.byline.as_ref());
        let doc = serde_json::to_string(&doc)?;
        let views = item.views.map(|v| i64::try_from(v).unwrap_or(i64::MAX));
        // Its search row's key holds its time: the old row is found by the old time.
        let was_published: Option<i64> = tx
            .query_row(
                "SELECT published_at FROM articles WHERE slug = ?1",
                [&a.slug],
                |r| r.get(0),
            )
            .optional()?;
        // The comment count is the comments' own (kept by triggers), never the file's.
        tx.execute(
            "INSERT INTO articles (slug, section_id, headline, published_at, editors_pick, has_image, views, doc,
                                   modified_at, author_slug)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, COALESCE(?7, 0), ?8, ?9, ?10)
             ON CONFLICT (slug) DO UPDATE SET
                section_id = excluded.section_id, headline = excluded.headline,
                published_at = excluded.published_at, editors_pick = excluded.editors_pick,
                has_image = excluded.has_image, views = COALESCE(?7, views), doc = excluded.doc,
                modified_at = excluded.modified_at, author_slug = excluded.author_slug",
            params![
                a.slug,
                section_id,
                a.headline,
                a.published_at.unix_seconds(),
                a.editors_pick,
                a.image.is_some(),
                views,
                doc,
                crate::store::modified_at(a),
                author
            ],
        )?;
        let article_id: i64 =
            tx.query_row("SELECT id FROM articles WHERE slug = ?1", [&a.slug], |r| {
                r.get(0)
            })?;
        tx.execute(
            "DELETE FROM article_tags WHERE article_id = ?1",
            [article_id],
        )?;
        for tag in broadsheet_model::normalize_tags(&a.tags) {
            tx.execute(
                "INSERT OR IGNORE INTO article_tags (article_id, tag, published_at) VALUES (?1, ?2, ?3)",
                params![article_id, tag, a.published_at.unix_seconds()],
            )?;
        }
        super::search::write(&tx, article_id, was_published, a)?;
    }
    tx.commit()?;
    Ok(imported)
}
