-- Tag and author pages, as SQLite's 005_authors.sql: an index each, newest first.
ALTER TABLE articles ADD COLUMN author_slug TEXT;
CREATE INDEX articles_by_author ON articles (author_slug, published_at DESC, id DESC)
    WHERE author_slug IS NOT NULL;

ALTER TABLE article_tags ADD COLUMN published_at BIGINT NOT NULL DEFAULT 0;
UPDATE article_tags t SET published_at = a.published_at FROM articles a WHERE a.id = t.article_id;
CREATE INDEX article_tags_newest ON article_tags (tag, published_at DESC, article_id DESC);
