//! Writing imported articles to Postgres: one transaction, so a failure writes nothing.

use deadpool_postgres::{Client, GenericClient};

use crate::store::{ImportItem, Imported, StoreError, migrations};

/// Writes validated articles in one transaction; an existing slug is updated.
pub(super) async fn write(c: &mut Client, items: &[ImportItem]) -> Result<Imported, StoreError> {
    let tx = c.transaction().await?;
    let section = tx
        .prepare_cached(
            "INSERT INTO sections (slug, name) VALUES ($1, $2)
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name RETURNING id",
        )
        .await?;
    // `xmax = 0` only on a row this statement inserted: created, not updated.
    let article = tx
        .prepare_cached(
            "INSERT INTO articles AS a
                (slug, section_id, headline, published_at, editors_pick, has_image, views, doc,
                 modified_at, author_slug)
             VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7::BIGINT, 0), $8, $9, $10)
             ON CONFLICT (slug) DO UPDATE SET
                section_id = excluded.section_id, headline = excluded.headline,
                published_at = excluded.published_at, editors_pick = excluded.editors_pick,
                has_image = excluded.has_image, views = COALESCE($7::BIGINT, a.views), doc = excluded.doc,
                modified_at = excluded.modified_at, author_slug = excluded.author_slug
             RETURNING id, (xmax = 0)",
        )
        .await?;
    let untag = tx
        .prepare_cached("DELETE FROM article_tags WHERE article_id = $1")
        .await?;
    let tag = tx
        .prepare_cached(
            "INSERT INTO article_tags (article_id, tag, published_at) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
        )
        .await?;
    let search = tx.prepare_cached(super::search::WRITE).await?;
    let mut imported = Imported::default();
    for item in items {
        let a = &item.article;
        let section_id: i64 = tx
            .query_one(&section, &[&a.section.slug, &a.section.name])
            .await?
            .get(0);
        // The counters live in their own columns; the stored document leaves them out.
        let mut doc = a.clone();
        doc.views = 0;
        doc.comment_count = 0;
        doc.tags = broadsheet_model::normalize_tags(&a.tags);
        let author = migrations::author_slug(a.byline.as_ref());
        let doc = serde_json::to_string(&doc)?;
        let views = item.views.map(|v| i64::try_from(v).unwrap_or(i64::MAX));
        let row = tx
            .query_one(
                &article,
                &[
                    &a.slug,
                    &section_id,
                    &a.headline,
                    &a.published_at.unix_seconds(),
                    &a.editors_pick,
                    &a.image.is_some(),
                    &views,
                    &doc,
                    &crate::store::modified_at(a),
                    &author,
                ],
            )
            .await?;
        let (article_id, created): (i64, bool) = (row.get(0), row.get(1));
        if created {
            imported.created += 1;
        } else {
            imported.updated += 1;
        }
        tx.execute(&untag, &[&article_id]).await?;
        let published = a.published_at.unix_seconds();
        for t in broadsheet_model::normalize_tags(&a.tags) {
            tx.execute(&tag, &[&article_id, &t, &published]).await?;
        }
        let (head, all) = super::search::terms(a);
        tx.execute(&search, &[&article_id, &head, &all]).await?;
    }
    tx.commit().await?;
    Ok(imported)
}
