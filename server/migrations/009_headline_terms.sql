-- Version 9 gives PostgreSQL's search its headline terms in date order (009_headline_terms.sql
-- there); SQLite's headline index (008) reads its matches in that order already, so this version
-- only keeps the two lists in step.
SELECT 1;
