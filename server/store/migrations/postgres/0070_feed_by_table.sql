-- A new device downloads the master tables first, one table at a time
-- (GET /v1/sync/pull?table=NAME): read them in seq order from an index.
CREATE INDEX sync_rows_tbl_seq ON sync_rows (business_id, tbl, seq);
