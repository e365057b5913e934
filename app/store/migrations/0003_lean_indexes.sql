-- Saving a bill writes every index of its rows, so indexes that another
-- index already serves are dropped:
--   doc_lines_product (product_id, date): doc_lines_stock serves per-product stock sums;
--   doc_lines_date (date): doc_lines_report leads with (doc_table, date);
--   ledger_party (party_id, date): ledger_report leads with the same columns.
DROP INDEX IF EXISTS doc_lines_product;
DROP INDEX IF EXISTS doc_lines_date;
DROP INDEX IF EXISTS ledger_party;

-- Finding a party by GSTIN when a bill names one without an id.
CREATE INDEX parties_gstin ON parties(data->>'gstin') WHERE deleted = 0 AND data->>'gstin' IS NOT NULL;
