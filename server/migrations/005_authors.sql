-- Tag and author pages, newest first, each walking one index from its cursor on.

-- An article's author as its page's address names it (`broadsheet_model::author_slug` of the
-- byline's name; NULL without a byline or a name with no letter or digit). Existing rows are
-- filled in by the store as this version is applied (`store::migrations::AUTHOR_SLUGS`): the
-- rule lowercases any script, which SQL's lower() does not.
ALTER TABLE articles ADD COLUMN author_slug TEXT;
CREATE INDEX articles_by_author ON articles (author_slug, published_at DESC, id DESC)
    WHERE author_slug IS NOT NULL;

-- A tag's articles newest first without sorting them: the publication time beside each tag,
-- kept by the import.
ALTER TABLE article_tags ADD COLUMN published_at INTEGER NOT NULL DEFAULT 0;
UPDATE article_tags SET published_at =
    (SELECT a.published_at FROM articles a WHERE a.id = article_tags.article_id);
CREATE INDEX article_tags_newest ON article_tags (tag, published_at DESC, article_id DESC);
