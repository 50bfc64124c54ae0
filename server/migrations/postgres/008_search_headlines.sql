-- Version 8 gives SQLite's search an index of headlines alone (008_search_headlines.sql there);
-- PostgreSQL keeps a headline's terms in a tsvector of their own (`search_head`) already, so
-- this version only keeps the two lists in step.
SELECT 1;
