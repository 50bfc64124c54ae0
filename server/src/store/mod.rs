//! The storage seam: everything the server and the CLI do with data goes through [`Store`]:
//! SQLite (`sqlite`, one server) or PostgreSQL (`postgres`, one or more servers on one
//! database), and nothing above it changes.
//!
//! What a store must guarantee, whatever the database:
//! - Times come from the caller (`now`, `created_at`): a store never reads the clock, so views
//!   and modules are the same for the same data and the same `now`.
//! - Writes that belong together are one transaction: recording a view (row + counter), posting
//!   a comment (the key check + insert: concurrent posts with one key store exactly one row),
//!   reporting (report + hiding), importing (every article or none).
//! - The idempotency rule is [`replay`], shared here: a store only finds what a key holds.
//! - Lists break ties the same way: newer first, then the higher id.

pub mod error;
pub mod migrations;
pub mod postgres;
pub mod search;
pub mod sqlite;

use async_trait::async_trait;
use broadsheet_model::{
    Article, ArticleSummary, Comment, CommentPage, Front, Listing, Module, Page, Section, Timestamp,
};

pub use error::StoreError;
pub use search::SearchCursor;

/// The database behind the server, shared by every request (`Arc<dyn Store>`).
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// One article by slug, with its live counters (`comment_count` counts visible comments).
    async fn article(&self, slug: &str) -> Result<Option<Article>, StoreError>;

    /// Newest articles first (only those of `section`, if given), `limit` at a time, after
    /// `cursor`. `None` when `section` names no section that has articles.
    async fn latest(
        &self,
        section: Option<&str>,
        limit: u32,
        cursor: Option<Cursor>,
    ) -> Result<Option<Page<ArticleSummary>>, StoreError>;

    /// A tag's or an author's articles, newest first, `limit` at a time, after `cursor`, with
    /// the name the page shows. `None` when no article has the tag or the author.
    async fn listing(
        &self,
        of: &ListOf,
        limit: u32,
        cursor: Option<Cursor>,
    ) -> Result<Option<Listing>, StoreError>;

    /// Every section that has articles, in the order they were first imported.
    async fn sections(&self) -> Result<Vec<Section>, StoreError>;

    /// The home page: the newest story with an image leads (the newest of all if none has
    /// one), then each section's newest `per_section` other stories.
    async fn front(&self, per_section: u32) -> Result<Front, StoreError>;

    /// The modules of one article's page: the newest of its section ("latest-stories") and
    /// related stories ("you-may-also-like"), read through indexes. `None` when there is no such
    /// article. Empty modules are left out.
    async fn article_modules(&self, slug: &str) -> Result<Option<Vec<Module>>, StoreError>;

    /// The modules every page shows, ranked at `now` (Unix seconds): "popular-now" (views in the
    /// last day), "weekly-best" (the last week) and "must-reads" (editors' picks). They sum the
    /// hourly counters, so the server computes them once a minute (`crate::rankings`), not per
    /// page. Empty modules are left out.
    async fn rankings(&self, now: i64) -> Result<Vec<Module>, StoreError>;

    /// What a page's first screen needs, in one trip to the database.
    async fn first_screen(&self, query: ScreenQuery) -> Result<Screen, StoreError>;

    /// Adds counted page views to their articles' hourly counters and totals, in one
    /// transaction (the server batches them: `crate::views`). Views of an article that is gone
    /// are dropped.
    async fn record_views(&self, views: Vec<HourlyViews>) -> Result<(), StoreError>;

    /// Visible comments of an article, newest first, `limit` at a time, with ids below `before`
    /// (all when `None`). `None` when there is no such article.
    async fn comments(
        &self,
        slug: &str,
        limit: u32,
        before: Option<i64>,
    ) -> Result<Option<CommentPage>, StoreError>;

    /// What an earlier post with this key answers, read without writing: `NoArticle`,
    /// or `Again`/`Conflict` by [`replay`] when the key is stored; `None` when the post is new.
    async fn earlier_post(&self, post: &NewPost) -> Result<Option<Posted>, StoreError>;

    /// Stores a comment unless its key is already stored (then [`replay`] answers), in one
    /// transaction that makes concurrent posts with one key store exactly one row.
    async fn post_comment(&self, post: NewPost) -> Result<Posted, StoreError>;

    /// One report of a visible comment of the article at `slug` by `reporter` (once per
    /// reporter); with `threshold` reports from different reporters, a comment no moderator
    /// approved is hidden. False if there is no such visible comment.
    async fn report_comment(&self, report: Report) -> Result<bool, StoreError>;

    /// Comments with this status (`visible`, `hidden`, `removed`), or all of them; newest first.
    async fn moderation_list(&self, status: Option<&str>) -> Result<Vec<Moderated>, StoreError>;

    /// Makes a comment visible for good: reports no longer hide it. False if there is no such
    /// comment (or it was removed).
    async fn approve_comment(&self, id: i64) -> Result<bool, StoreError>;

    /// Removes a comment from every list and count. False if there is no such comment.
    async fn remove_comment(&self, id: i64) -> Result<bool, StoreError>;

    /// The slug of the article a comment belongs to (whatever its status), to purge what shows
    /// it; `None` if there is no such comment.
    async fn comment_article(&self, id: i64) -> Result<Option<String>, StoreError>;

    /// Writes validated articles in one transaction (all or nothing); an existing slug is
    /// updated, and its counters only where the item gives them.
    async fn import(&self, items: Vec<ImportItem>) -> Result<Imported, StoreError>;

    /// Demo page views for a new demo database: a week of views before `now`, deterministic.
    async fn seed_demo_views(&self, now: i64) -> Result<usize, StoreError>;

    /// How many articles there are.
    async fn article_count(&self) -> Result<u64, StoreError>;

    /// A feed's articles, whole: the newest `limit` of `listing`, newest first. `None` when the
    /// section or tag names no article. A tag's are read in order from `article_tags_newest`.
    async fn feed(&self, listing: &FeedOf, limit: u32) -> Result<Option<Vec<Article>>, StoreError>;

    /// The article sitemaps: for each run of `per_part` article ids that holds articles (part
    /// `n`, from 1, holds ids `(n - 1) * per_part + 1 ..= n * per_part`), its number and the
    /// latest [`modified_at`] in it, in order.
    async fn sitemap_parts(&self, per_part: u32) -> Result<Vec<SitemapPart>, StoreError>;

    /// The articles of sitemap part `part` (as [`Store::sitemap_parts`] numbers it), by id.
    async fn sitemap_part(&self, part: u32, per_part: u32)
    -> Result<Vec<SitemapEntry>, StoreError>;

    /// Articles published at or after `since` (Unix seconds), newest first, at most `limit`:
    /// the news sitemap's.
    async fn published_since(&self, since: i64, limit: u32) -> Result<Vec<NewsEntry>, StoreError>;

    /// The articles holding every one of `terms` (`crate::store::search`'s), read through the
    /// full-text index: those whose headline holds them all first, then newest first (then the
    /// higher id); `limit` at a time, after `cursor`. Each as its JSON as stored (a result
    /// reads only part of it: `search::hit`), with its place, for the next cursor.
    async fn search(
        &self,
        terms: Vec<String>,
        limit: u32,
        cursor: Option<SearchCursor>,
    ) -> Result<Page<(String, SearchCursor)>, StoreError>;

    /// Takes one post from `client`'s allowance of `per_minute` new comments at `now_ms`,
    /// where the store keeps allowances for every server on it: `Some(Err(seconds))` to wait.
    /// `None` (the default) when it keeps none and the server's own count decides (SQLite:
    /// one server per database).
    async fn take_post_allowance(
        &self,
        _client: &str,
        _per_minute: u32,
        _now_ms: i64,
    ) -> Result<Option<Result<(), u64>>, StoreError> {
        Ok(None)
    }

    /// Forgets allowances that are full again at `now_ms` (a missing row is a full allowance),
    /// so the table holds only the last minute's posters. Nothing to do for a store that keeps
    /// none.
    async fn forget_full_allowances(&self, _now_ms: i64) -> Result<(), StoreError> {
        Ok(())
    }

    /// What other processes change, for a store that several servers share: each server
    /// drops its copies of what changed (`AppState::start_background`). `None` (the default)
    /// when no other server writes to the store.
    fn changes(&self) -> Option<tokio::sync::broadcast::Receiver<Change>> {
        None
    }
}

/// What a feed lists.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FeedOf {
    /// Every section's articles (the home page's feed).
    All,
    /// One section's, by slug.
    Section(String),
    /// The articles carrying this tag, exactly as stored (case and all).
    Tag(String),
}

/// When an article last changed, in Unix seconds: its update, else its publication (the
/// `modified_at` column, which sitemaps read).
pub fn modified_at(a: &Article) -> i64 {
    let published = a.published_at.unix_seconds();
    a.updated_at
        .map_or(published, |u| u.unix_seconds().max(published))
}

/// One article sitemap: its number (from 1) and its latest change (Unix seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SitemapPart {
    pub number: u32,
    pub modified_at: i64,
}

/// An article as a sitemap lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SitemapEntry {
    pub slug: String,
    /// Unix seconds.
    pub modified_at: i64,
}

/// An article as the news sitemap lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewsEntry {
    pub slug: String,
    pub headline: String,
    /// Unix seconds.
    pub published_at: i64,
}

/// A change made through the store, told to every server on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// An article's visible comments changed (a post, a report that hid one, moderation).
    Comments(String),
    /// An article itself changed (an import): lists and modules may change too.
    Article(String),
    /// Changes may have been missed (the store reconnected): drop every copy.
    Unknown,
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

/// Whose articles a [`Store::listing`] holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListOf {
    /// A tag's, exactly as stored (case and all).
    Tag(String),
    /// An author's, by `broadsheet_model::author_slug` of their byline's name.
    Author(String),
}

/// What a page's first screen asks for (an article page's own modules are
/// [`Store::article_modules`]).
#[derive(Clone, Debug, Default)]
pub struct ScreenQuery {
    /// The home page's front, with this many stories per section.
    pub front: Option<u32>,
    /// A section front's first `limit` stories: `(slug, limit)`.
    pub section: Option<(String, u32)>,
}

/// What a page's first screen is made of.
#[derive(Clone, Debug)]
pub struct Screen {
    /// The masthead's sections.
    pub sections: Vec<Section>,
    pub front: Option<Front>,
    /// The section's first stories (empty for a section that has none).
    pub stories: Option<Page<ArticleSummary>>,
}

/// Page views of one article counted in one hour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HourlyViews {
    pub slug: String,
    /// Unix seconds / 3600.
    pub hour: i64,
    pub views: u32,
}

/// An article from an import file, validated, with the counters the file gave (if any).
#[derive(Clone, Debug)]
pub struct ImportItem {
    pub article: Article,
    pub views: Option<u64>,
}

/// What an import wrote: articles new to the store, and existing slugs updated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    pub created: usize,
    pub updated: usize,
}

impl Imported {
    /// Every article written.
    pub fn total(self) -> usize {
        self.created + self.updated
    }
}

/// A validated comment to store under its idempotency key.
#[derive(Clone, Debug)]
pub struct NewPost {
    pub slug: String,
    pub nickname: String,
    pub body: String,
    pub key: String,
    /// Who posted it (an IP address), kept for moderators.
    pub client: String,
    /// Unix milliseconds.
    pub created_at: i64,
}

/// What posting under a key came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Posted {
    /// Stored now.
    New(Comment),
    /// The key's first comment, which this post repeats.
    Again(Comment),
    /// The key was used for a different comment.
    Conflict,
    /// There is no article at the slug.
    NoArticle,
}

/// The comment stored under a key, and the article it belongs to.
#[derive(Clone, Debug)]
pub struct KeyedComment {
    pub article_id: i64,
    pub comment: Comment,
}

/// The idempotency rule, the same for every store: a post whose key is already stored gets the
/// first comment again if it is the same comment (same article, same nickname and body), and
/// is a conflict if it is not.
pub fn replay(stored: KeyedComment, article_id: i64, post: &NewPost) -> Posted {
    let KeyedComment {
        article_id: stored_article,
        comment,
    } = stored;
    if stored_article == article_id
        && comment.nickname == post.nickname
        && comment.body == post.body
    {
        Posted::Again(comment)
    } else {
        Posted::Conflict
    }
}

/// One report of a comment.
#[derive(Clone, Debug)]
pub struct Report {
    pub slug: String,
    pub comment: i64,
    /// Who reports (an IP address): one report per reporter counts.
    pub reporter: String,
    /// Reports that hide an unapproved comment.
    pub threshold: u32,
    /// Unix milliseconds.
    pub at: i64,
}

/// A comment as moderators see it.
#[derive(Clone, Debug)]
pub struct Moderated {
    pub id: i64,
    pub article: String,
    pub nickname: String,
    pub body: String,
    pub created_at: Timestamp,
    pub status: String,
    pub reports: i64,
}

/// A stored time in Unix milliseconds, as the API gives it.
pub fn timestamp(millis: i64) -> Timestamp {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(slug: &str, nickname: &str, body: &str) -> NewPost {
        NewPost {
            slug: slug.into(),
            nickname: nickname.into(),
            body: body.into(),
            key: "key-0123456789abcdef".into(),
            client: "127.0.0.1".into(),
            created_at: 0,
        }
    }

    fn stored(article_id: i64, nickname: &str, body: &str) -> KeyedComment {
        KeyedComment {
            article_id,
            comment: Comment {
                id: 9,
                nickname: nickname.into(),
                body: body.into(),
                created_at: timestamp(0),
            },
        }
    }

    #[test]
    fn a_key_replays_only_the_same_comment() {
        let same = replay(stored(1, "Mina", "Hi"), 1, &post("a", "Mina", "Hi"));
        assert!(matches!(same, Posted::Again(c) if c.id == 9));
        for (article, nickname, body) in [(2, "Mina", "Hi"), (1, "Jo", "Hi"), (1, "Mina", "Ho")] {
            assert_eq!(
                replay(stored(1, "Mina", "Hi"), article, &post("a", nickname, body)),
                Posted::Conflict
            );
        }
    }

    #[test]
    fn cursors_round_trip() {
        let c = Cursor {
            published: 1_700_000_000,
            id: 42,
        };
        assert_eq!(Cursor::parse(&c.encode()), Some(c));
        for bad in ["", "1", "1.x", "x.1", "1.2.3"] {
            assert_eq!(Cursor::parse(bad), None, "{bad}");
        }
    }
}
