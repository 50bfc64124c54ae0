-- Version 7 changes the order of SQLite's search rows (007_search_order.sql there); PostgreSQL's
-- tsvectors have no order to change, so this version only keeps the two lists in step.
SELECT 1;
