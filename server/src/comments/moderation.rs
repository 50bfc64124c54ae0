//! What moderators do (the `comments list/approve/remove` CLI), through the store.

use crate::store::{Moderated, Store, StoreError};

/// Comments with this status (`visible`, `hidden`, `removed`), or all of them (`None`); newest
/// first, each with its number of reports.
pub async fn list(store: &dyn Store, status: Option<&str>) -> Result<Vec<Moderated>, StoreError> {
    store.moderation_list(status).await
}

/// Makes a comment visible for good: reports no longer hide it. The slug of its article, or
/// `None` if there is no such comment, or it was removed.
pub async fn approve(store: &dyn Store, id: i64) -> Result<Option<String>, StoreError> {
    let slug = store.comment_article(id).await?;
    Ok(if store.approve_comment(id).await? {
        slug
    } else {
        None
    })
}

/// Removes a comment from every list and count. The slug of its article, or `None` if there is
/// no such comment.
pub async fn remove(store: &dyn Store, id: i64) -> Result<Option<String>, StoreError> {
    let slug = store.comment_article(id).await?;
    Ok(if store.remove_comment(id).await? {
        slug
    } else {
        None
    })
}

/// One line of the moderation list, as the CLI prints it.
pub fn line(c: &Moderated) -> String {
    format!(
        "#{} [{}] {} reports | {} | {} | {}: {}",
        c.id,
        c.status,
        c.reports,
        c.created_at,
        c.article,
        c.nickname,
        c.body.replace('\n', " / ")
    )
}
