-- Comments and reports. A comment is 'visible', 'hidden' (reported enough times, pending review)
-- or 'removed' (by a moderator); only visible comments are listed or counted.
CREATE TABLE comments (
    id              INTEGER PRIMARY KEY,
    article_id      INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    nickname        TEXT NOT NULL,
    body            TEXT NOT NULL,
    -- Unix milliseconds.
    created_at      INTEGER NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'hidden', 'removed')),
    -- Approved by a moderator: reports no longer hide it.
    approved        INTEGER NOT NULL DEFAULT 0,
    -- Who posted it (the client address), for moderation.
    client          TEXT NOT NULL
);

CREATE INDEX comments_by_article ON comments (article_id, status, id DESC);

CREATE TABLE comment_reports (
    comment_id  INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    reporter    TEXT NOT NULL,
    reported_at INTEGER NOT NULL,
    PRIMARY KEY (comment_id, reporter)
);
