-- Sitemaps name each article with when it last changed (its update, else its publication):
-- kept in a column of its own and read, with the slug, from a small covering index by id, so
-- a sitemap of 50,000 articles never reads their documents.
ALTER TABLE articles ADD COLUMN modified_at INTEGER NOT NULL DEFAULT 0;
UPDATE articles SET modified_at =
    MAX(published_at, COALESCE(unixepoch(json_extract(doc, '$.updated_at')), 0));
CREATE INDEX articles_sitemap ON articles (id, modified_at, slug);
