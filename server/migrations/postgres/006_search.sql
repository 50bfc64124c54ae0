-- Full-text search, as SQLite's 006_search.sql: the server cuts an article's text into terms
-- (`crate::store::search`) and the tsvectors hold them as they are (`array_to_tsvector`, no parser, so
-- both stores agree on what a word is). `search_head`: the headline's terms; `search_all`: the
-- headline's, standfirst's, body's, byline's and tags' together. NULL until written: the import
-- writes them, and the server fills in older rows when it starts (`backfill_search`).
--
-- A page of results is read one tier at a time (`postgres::search`), newest first: for a rare
-- word the planner takes the GIN index of the tier's tsvector and sorts its few matches; for a
-- common word it walks `articles_newest` (published_at DESC, id DESC) and stops at the page's end.
-- Its guess rests on the tsvectors' statistics: with the default target a word missing from them
-- counts as common, and a rare word's page walked the whole archive (0.12-0.2 s at 100,000
-- articles); 10,000 keeps most words' own frequencies.
ALTER TABLE articles ADD COLUMN search_head TSVECTOR;
ALTER TABLE articles ADD COLUMN search_all TSVECTOR;
CREATE INDEX articles_search ON articles USING GIN (search_all);
CREATE INDEX articles_search_head ON articles USING GIN (search_head);
CREATE INDEX articles_unsearched ON articles (id) WHERE search_all IS NULL;
ALTER TABLE articles ALTER COLUMN search_head SET STATISTICS 10000;
ALTER TABLE articles ALTER COLUMN search_all SET STATISTICS 10000;
