-- A day summary records the version of the rules that made it
-- (store.daySummaryVersion): a later build whose GST rules or sums differ
-- reads only the summaries it made itself and makes the others again, so
-- a summary never outlives the rules it was made by. Rows made before
-- this are version 0, made again.
ALTER TABLE report_days ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
INSERT OR IGNORE INTO meta(key, value) SELECT 'report_days', 'build' WHERE EXISTS (SELECT 1 FROM report_days);
