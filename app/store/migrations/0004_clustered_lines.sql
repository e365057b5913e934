-- Saving a bill must touch few pages: every page a transaction changes is
-- written to the log again. Before this, a bill's 8 lines landed on ~25
-- scattered pages (doc_lines_report sorted them by rate and HSN inside the
-- day, doc_lines_stock and stock_levels by product). Now:
--
-- 1. doc_lines is clustered by (doc_table, date, doc_id, n): a bill's lines
--    sit together at the end of the day, and the table itself is the
--    covering "lines by table and date" structure the reports read, so
--    doc_lines_report is gone. Looking a document's lines up needs its
--    table and date (both known wherever that happens).
-- 2. A bill's stock effects are appended to stock_pending (one page) in the
--    bill's own transaction and folded into stock_levels and stock_days in
--    bulk: in the background, when a reader needs stock, or when the
--    journal grows long (store.foldStock). Stock = opening + stock_levels +
--    what is pending, always.
-- 3. stock_days holds per product and day what came in and went out; it
--    replaces the doc_lines_stock index for stock over long periods.

CREATE TABLE doc_lines_new (
  doc_table   TEXT NOT NULL,
  date        TEXT NOT NULL,
  doc_id      TEXT NOT NULL,
  n           INTEGER NOT NULL,
  product_id  TEXT,
  hsn         TEXT,
  unit        TEXT,
  qty         INTEGER NOT NULL,
  rate        INTEGER NOT NULL,
  taxable     INTEGER NOT NULL,
  cgst        INTEGER NOT NULL,
  sgst        INTEGER NOT NULL,
  igst        INTEGER NOT NULL,
  cess        INTEGER NOT NULL,
  total       INTEGER NOT NULL,
  cost        INTEGER NOT NULL,
  stock_delta INTEGER NOT NULL,
  cancelled   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (doc_table, date, doc_id, n)
) WITHOUT ROWID;
INSERT INTO doc_lines_new(doc_table, date, doc_id, n, product_id, hsn, unit, qty, rate, taxable, cgst, sgst, igst, cess, total, cost, stock_delta, cancelled)
  SELECT doc_table, date, doc_id, n, product_id, hsn, unit, qty, rate, taxable, cgst, sgst, igst, cess, total, cost, stock_delta, cancelled
  FROM doc_lines ORDER BY doc_table, date, doc_id, n;
DROP TABLE doc_lines;
ALTER TABLE doc_lines_new RENAME TO doc_lines;

-- Stock effects not yet folded into stock_levels and stock_days.
CREATE TABLE stock_pending (
  seq        INTEGER PRIMARY KEY,
  product_id TEXT NOT NULL,
  date       TEXT NOT NULL,
  qty_in     INTEGER NOT NULL,
  qty_out    INTEGER NOT NULL
);

-- What came in and went out per product and day (cancelled documents
-- taken out again).
CREATE TABLE stock_days (
  product_id TEXT NOT NULL,
  date       TEXT NOT NULL,
  qty_in     INTEGER NOT NULL,
  qty_out    INTEGER NOT NULL,
  PRIMARY KEY (product_id, date)
) WITHOUT ROWID;
INSERT INTO stock_days(product_id, date, qty_in, qty_out)
  SELECT product_id, date, sum(max(stock_delta, 0)), sum(max(-stock_delta, 0)) FROM doc_lines
  WHERE stock_delta <> 0 AND cancelled = 0 AND product_id IS NOT NULL AND product_id <> ''
  GROUP BY product_id, date ORDER BY product_id, date;
