-- Search's rows, keyed the other way round: the rowid is now `-(published_at * 2^28 + id)`
-- (`sqlite::search::key`), so the newest story has the smallest rowid and a page of results is
-- an ascending walk of each word's matches. FTS5 walks its lists forwards far more cheaply than
-- backwards (at 100,000 articles a backward walk's page set-up was a tenth of a search's time).
-- The table is made again empty; the server writes every article's row when it starts
-- (`backfill_search`), as it did for version 6.
DROP TABLE article_search;
CREATE VIRTUAL TABLE article_search USING fts5 (
    head, terms,
    content = '', contentless_delete = 1,
    tokenize = 'ascii', detail = 'column'
);
