-- Sitemaps name each article with when it last changed (as SQLite's 004_sitemaps.sql): a column
-- of its own, read with the slug from a small covering index by id.
ALTER TABLE articles ADD COLUMN modified_at BIGINT NOT NULL DEFAULT 0;
UPDATE articles SET modified_at = GREATEST(published_at, COALESCE(
    EXTRACT(EPOCH FROM (doc::jsonb ->> 'updated_at')::timestamptz)::BIGINT, 0));
CREATE INDEX articles_sitemap ON articles (id, modified_at, slug);
