-- Full-text search (`crate::store::search`): the server cuts an article's text into terms (the same
-- rule for both stores) and FTS5 indexes them as they are (the `ascii` tokenizer splits only at
-- ASCII punctuation and spaces, which terms never hold). One row per article: `head` is the
-- headline's terms, `terms` the headline's, standfirst's, body's, byline's and tags' together.
-- The import writes a row with each article; rows of articles stored before this version are
-- written when the server starts (`backfill_search`).
--
-- The rowid is the article's place in time, `published_at * 2^28 + id` (`sqlite::search::key`),
-- not its id: FTS5 hands matches out in rowid order, so `MATCH ? AND rowid < ? ORDER BY rowid
-- DESC LIMIT 11` walks a word's matches newest first and stops at the page's end. Sorting every
-- match instead took 0.35 to 0.57 s for a word in nearly every story at 100,000 articles.
-- Contentless: the terms are not stored twice (rows can still be deleted).
CREATE VIRTUAL TABLE article_search USING fts5 (
    head, terms,
    content = '', contentless_delete = 1,
    tokenize = 'ascii', detail = 'column'
);
