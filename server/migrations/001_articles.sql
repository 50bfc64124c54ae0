-- Articles, their sections and tags, and a log of page views (with their time, so that "most
-- viewed in the last 24 hours" can be computed).
CREATE TABLE sections (
    id   INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE articles (
    id            INTEGER PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE,
    section_id    INTEGER NOT NULL REFERENCES sections (id),
    headline      TEXT NOT NULL,
    -- Unix seconds, for ordering; the RFC 3339 text with its offset is in doc.
    published_at  INTEGER NOT NULL,
    editors_pick  INTEGER NOT NULL DEFAULT 0,
    views         INTEGER NOT NULL DEFAULT 0,
    comment_count INTEGER NOT NULL DEFAULT 0,
    -- The article in the contract's JSON shape, as imported.
    doc           TEXT NOT NULL
);

CREATE INDEX articles_newest ON articles (published_at DESC, id DESC);
CREATE INDEX articles_section_newest ON articles (section_id, published_at DESC, id DESC);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    PRIMARY KEY (article_id, tag)
);

CREATE TABLE article_views (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    viewed_at  INTEGER NOT NULL
);

CREATE INDEX article_views_by_time ON article_views (viewed_at, article_id);
