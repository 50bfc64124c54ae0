-- The headline tier of search in the order results are read. A page of results wants the
-- newest articles whose headline holds every term; the GIN index of `search_head` finds them
-- all, and each is then read from the table to be sorted by date: at 100,000 articles two
-- headline words together found ~300, and a page cost 3-6 ms. Here each headline term is a row
-- keyed (term, published_at, article_id): every term's articles are a run of the primary key
-- in date order, and the articles holding them all are the merge of those runs, read newest
-- first and stopped at the page's end (0.4 ms for the same page). The rows are the
-- tsvector's lexemes, kept in step by a trigger on every write of `search_head` or
-- `published_at`, whatever writes it (the import, the backfill, `migrate`).
CREATE TABLE headline_terms (
    term TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    article_id BIGINT NOT NULL,
    PRIMARY KEY (term, published_at, article_id)
);

CREATE FUNCTION headline_terms_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.search_head IS NOT DISTINCT FROM OLD.search_head
       AND NEW.published_at = OLD.published_at THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.search_head IS NOT NULL THEN
        DELETE FROM headline_terms
        WHERE term = ANY (tsvector_to_array(OLD.search_head))
          AND published_at = OLD.published_at AND article_id = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.search_head IS NOT NULL THEN
        INSERT INTO headline_terms (term, published_at, article_id)
        SELECT term, NEW.published_at, NEW.id FROM unnest(tsvector_to_array(NEW.search_head)) term;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER headline_terms_kept AFTER INSERT OR DELETE OR UPDATE OF search_head, published_at
ON articles FOR EACH ROW EXECUTE FUNCTION headline_terms_kept();

INSERT INTO headline_terms (term, published_at, article_id)
SELECT term, published_at, id FROM articles, unnest(tsvector_to_array(search_head)) term
WHERE search_head IS NOT NULL;

-- Nothing asks `search_head`'s GIN index now (the other tier only tests a row's headline).
DROP INDEX articles_search_head;
