-- Full-text search, as SQLite's 004_search.sql: the server cuts an article's text into terms
-- (`crate::store::search`) and the tsvectors hold them as they are (`array_to_tsvector`, no parser, so
-- both stores agree on what a word is). `search_head`: the headline's terms; `search_all`: the
-- headline's, standfirst's, body's, byline's and tags' together. NULL until written: the import
-- writes them, and the server fills in older rows when it starts (`backfill_search`).
ALTER TABLE articles ADD COLUMN search_head TSVECTOR;
ALTER TABLE articles ADD COLUMN search_all TSVECTOR;
CREATE INDEX articles_search ON articles USING GIN (search_all);
CREATE INDEX articles_unsearched ON articles (id) WHERE search_all IS NULL;
