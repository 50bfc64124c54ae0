-- Full-text search (`crate::store::search`): the server cuts an article's text into terms (the same
-- rule for both stores) and FTS5 indexes them as they are (the `ascii` tokenizer splits only at
-- ASCII punctuation and spaces, which terms never hold). One row per article, rowid = its id:
-- `head` is the headline's terms, `terms` the headline's, standfirst's, body's, byline's and
-- tags' together. The import writes a row with each article; rows of articles stored before
-- this version are written when the server starts (`backfill_search`).
--
-- Contentless (the terms are not stored twice; rows can still be deleted), keeping only the
-- article's time beside the index: ordering a common word's matches by time reads this narrow
-- column, not the articles' rows (at 100,000 articles a word in nearly every story took 0.9 to
-- 2.4 s when every match was looked up in `articles`).
CREATE VIRTUAL TABLE article_search USING fts5 (
    head, terms, published UNINDEXED,
    content = '', contentless_delete = 1, contentless_unindexed = 1,
    tokenize = 'ascii', detail = 'column'
);
