-- Built to a newsroom's scale (100,000 articles, 10 million views a week), as SQLite's
-- 003_scale.sql: views as hourly counters, indexes for every list, counted comments.

CREATE TABLE article_view_hours (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    hour       BIGINT NOT NULL,
    views      BIGINT NOT NULL,
    PRIMARY KEY (article_id, hour)
);

CREATE INDEX article_view_hours_by_hour ON article_view_hours (hour, article_id, views);

ALTER TABLE articles ADD COLUMN has_image BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX articles_with_image ON articles (has_image, published_at DESC, id DESC);
CREATE INDEX articles_picks ON articles (editors_pick, published_at DESC, id DESC);
CREATE INDEX article_tags_by_tag ON article_tags (tag, article_id);
CREATE INDEX comments_by_status ON comments (status, id DESC);
CREATE INDEX comment_reports_by_comment ON comment_reports (comment_id);

-- The count follows every change of a comment's status, whoever writes it.
CREATE FUNCTION comments_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'visible' THEN
        UPDATE articles SET comment_count = comment_count - 1 WHERE id = OLD.article_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'visible' THEN
        UPDATE articles SET comment_count = comment_count + 1 WHERE id = NEW.article_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER comments_counted AFTER INSERT OR DELETE OR UPDATE OF status ON comments
FOR EACH ROW EXECUTE FUNCTION comments_counted();

-- Every server on the database keeps copies of articles, pages and modules: a change of an
-- article tells them all (LISTEN broadsheet), delivered when its transaction commits. The
-- payload says what changed: 'comments:<slug>' (its visible comments), 'article:<slug>' (the
-- article itself: an import). Views are left out: a copy is at most a second old anyway.
CREATE FUNCTION articles_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('broadsheet', 'article:' || OLD.slug);
    ELSIF TG_OP = 'INSERT' OR NEW.doc IS DISTINCT FROM OLD.doc
          OR NEW.section_id IS DISTINCT FROM OLD.section_id
          OR NEW.editors_pick IS DISTINCT FROM OLD.editors_pick THEN
        PERFORM pg_notify('broadsheet', 'article:' || NEW.slug);
    ELSIF NEW.comment_count IS DISTINCT FROM OLD.comment_count THEN
        PERFORM pg_notify('broadsheet', 'comments:' || NEW.slug);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER articles_changed AFTER INSERT OR UPDATE OR DELETE ON articles
FOR EACH ROW EXECUTE FUNCTION articles_changed();
