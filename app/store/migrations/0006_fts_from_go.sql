-- Product search rows are written by store.writeRecord, not by triggers: a
-- statement that fires a trigger runs in a savepoint, and FTS5 writes its
-- pending index data to disk at every savepoint, so a downloaded catalogue
-- of 100,000 products made 100,000 tiny index segments to merge.
DROP TRIGGER IF EXISTS products_fts_ai;
DROP TRIGGER IF EXISTS products_fts_ad;
DROP TRIGGER IF EXISTS products_fts_au;
