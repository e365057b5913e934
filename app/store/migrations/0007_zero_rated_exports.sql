-- Exports and supplies to an SEZ (zero-rated, with IGST or under LUT) are
-- marked on the invoice; GSTR-1 reads the mark from the report index, so
-- the index covers it too. Invoices from before carry none (NULL: regular).
ALTER TABLE invoices ADD COLUMN zero_rated TEXT;
DROP INDEX invoices_report;
CREATE INDEX invoices_report ON invoices(
  date, cancelled, id, number, series, fy, seq, kind, grand_total, party_name, party_gstin, party_state,
  place_of_supply, supply_type, reverse_charge, taxable, cgst, sgst, igst, cess, round_off, paid, maybe_exempt,
  zero_rated);

-- An export's shipping bill added after the invoice: a document of its own
-- (the invoice is never updated). The newest by stamp counts.
CREATE TABLE export_details (
  rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, business_id TEXT NOT NULL, hlc TEXT NOT NULL, data TEXT NOT NULL,
  invoice_id TEXT GENERATED ALWAYS AS (data->>'invoice_id') STORED,
  date       TEXT GENERATED ALWAYS AS (data->>'date') STORED
);
CREATE INDEX export_details_invoice ON export_details(invoice_id, hlc);
