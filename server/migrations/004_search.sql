-- Full-text search (`crate::search`): the server cuts an article's text into terms (the same
-- rule for both stores) and FTS5 indexes them as they are (the `ascii` tokenizer splits only at
-- ASCII punctuation and spaces, which terms never hold). One row per article, rowid = its id:
-- `head` is the headline's terms, `terms` the headline's, standfirst's, body's, byline's and
-- tags' together. The import writes a row with each article; rows of articles stored before
-- this version are written when the server starts (`backfill_search`).
CREATE VIRTUAL TABLE article_search USING fts5 (head, terms, tokenize = 'ascii', detail = 'column');
