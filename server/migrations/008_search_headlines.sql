-- Search's first tier (every word in the headline) gets an index of its own: headlines alone,
-- without columns or positions (`detail = 'none'`). In `article_search` a common word's list
-- names nearly every story, and finding ten whose headline holds two such words walked
-- thousands of entries of each list; here a word's list names only the stories whose headline
-- holds it. The rowid is the same as `article_search`'s (`sqlite::search::key`); `write` keeps
-- the two in step. Both are made again empty, and the server writes every article's rows when it
-- starts (`backfill_search`).
DROP TABLE article_search;
CREATE VIRTUAL TABLE article_search USING fts5 (
    head, terms,
    content = '', contentless_delete = 1,
    tokenize = 'ascii', detail = 'column'
);
CREATE VIRTUAL TABLE article_headlines USING fts5 (
    head,
    content = '', contentless_delete = 1,
    tokenize = 'ascii', detail = 'none'
);
