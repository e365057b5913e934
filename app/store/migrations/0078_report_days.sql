-- Per-day summaries of the invoices for the reports that sum long periods
-- (report_days.go): what a day's invoices add to profit and loss, and what
-- they add to GSTR-1 beyond the invoices it lists one by one. A summary is
-- kept only for a closed day, deleted in the transaction of every change
-- to that day's invoices (a new invoice, a cancellation), and made again
-- in the background; a report reads the invoices of any day without one.
CREATE TABLE report_days (
  date      TEXT PRIMARY KEY,
  invoices  INTEGER NOT NULL, -- invoices not cancelled
  turnover  INTEGER NOT NULL, -- their taxable value (heads)
  sales     INTEGER NOT NULL, -- taxable value of their lines
  sales_tax INTEGER NOT NULL, -- GST and cess of their lines
  cost      INTEGER NOT NULL, -- cost of their lines, each rounded as Trade does
  gstr1     BLOB NOT NULL     -- gst.GSTR1Day and the listed invoices, JSON
);
-- Books with invoices are summarised in the background after this runs.
INSERT OR IGNORE INTO meta(key, value) SELECT 'report_days', 'build' WHERE EXISTS (SELECT 1 FROM invoices);
