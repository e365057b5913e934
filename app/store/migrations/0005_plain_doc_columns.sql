-- Bills, returns and purchases get plain columns, written from Go with the
-- row (store.docColumns), instead of STORED columns generated from the
-- JSON: SQLite no longer parses every document on insert, which was a
-- quarter of the cost of applying a downloaded business. The report index
-- holds the same facts as plain columns.

CREATE TABLE invoices_new (
  rid             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  business_id     TEXT NOT NULL,
  hlc             TEXT NOT NULL,
  cancelled       INTEGER NOT NULL DEFAULT 0,
  number          TEXT,
  kind            TEXT,
  series          TEXT,
  fy              INTEGER,
  seq             INTEGER,
  date            TEXT,
  party_id        TEXT,
  party_name      TEXT,
  party_gstin     TEXT,
  party_state     TEXT,
  place_of_supply TEXT,
  supply_type     TEXT,
  reverse_charge  INTEGER,
  taxable         INTEGER,
  cgst            INTEGER,
  sgst            INTEGER,
  igst            INTEGER,
  cess            INTEGER,
  round_off       INTEGER,
  grand_total     INTEGER,
  paid            INTEGER,
  maybe_exempt    INTEGER NOT NULL DEFAULT 0, -- 1 when a line may be exempt or non-GST
  data            TEXT NOT NULL
);
INSERT INTO invoices_new(rid, id, business_id, hlc, cancelled, number, kind, series, fy, seq, date, party_id, party_name,
  party_gstin, party_state, place_of_supply, supply_type, reverse_charge, taxable, cgst, sgst, igst, cess, round_off,
  grand_total, paid, maybe_exempt, data)
SELECT rid, id, business_id, hlc, cancelled, number, kind, series, fy, seq, date, party_id, party_name,
  data->>'$.party.gstin', data->>'$.party.state_code', data->>'place_of_supply', data->>'supply_type', data->>'reverse_charge',
  data->>'taxable', data->>'cgst', data->>'sgst', data->>'igst', data->>'cess', data->>'round_off',
  grand_total, data->>'paid', instr(data, '"exempt"') + instr(data, '"non_gst"') > 0, data
FROM invoices ORDER BY rid;
DROP TABLE invoices;
ALTER TABLE invoices_new RENAME TO invoices;
CREATE INDEX invoices_series ON invoices(series, fy, seq);
CREATE INDEX invoices_number ON invoices(number);
CREATE INDEX invoices_date ON invoices(date, rid);
CREATE INDEX invoices_party ON invoices(party_id, date) WHERE party_id IS NOT NULL;
CREATE INDEX invoices_report ON invoices(
  date, cancelled, id, number, series, fy, seq, kind, grand_total, party_name, party_gstin, party_state,
  place_of_supply, supply_type, reverse_charge, taxable, cgst, sgst, igst, cess, round_off, paid, maybe_exempt);

CREATE TABLE credit_notes_new (
  rid             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  business_id     TEXT NOT NULL,
  hlc             TEXT NOT NULL,
  number          TEXT,
  series          TEXT,
  fy              INTEGER,
  seq             INTEGER,
  date            TEXT,
  invoice_id      TEXT,
  invoice_number  TEXT,
  invoice_date    TEXT,
  party_name      TEXT,
  party_gstin     TEXT,
  party_state     TEXT,
  place_of_supply TEXT,
  supply_type     TEXT,
  taxable         INTEGER,
  cgst            INTEGER,
  sgst            INTEGER,
  igst            INTEGER,
  cess            INTEGER,
  round_off       INTEGER,
  grand_total     INTEGER,
  refunded        INTEGER,
  maybe_exempt    INTEGER NOT NULL DEFAULT 0,
  data            TEXT NOT NULL
);
INSERT INTO credit_notes_new(rid, id, business_id, hlc, number, series, fy, seq, date, invoice_id, invoice_number, invoice_date,
  party_name, party_gstin, party_state, place_of_supply, supply_type, taxable, cgst, sgst, igst, cess, round_off,
  grand_total, refunded, maybe_exempt, data)
SELECT rid, id, business_id, hlc, number, series, fy, seq, date, invoice_id, data->>'invoice_number', data->>'invoice_date',
  data->>'$.party.name', data->>'$.party.gstin', data->>'$.party.state_code', data->>'place_of_supply', data->>'supply_type',
  data->>'taxable', data->>'cgst', data->>'sgst', data->>'igst', data->>'cess', data->>'round_off',
  grand_total, data->>'refunded', instr(data, '"exempt"') + instr(data, '"non_gst"') > 0, data
FROM credit_notes ORDER BY rid;
DROP TABLE credit_notes;
ALTER TABLE credit_notes_new RENAME TO credit_notes;
CREATE INDEX credit_notes_series ON credit_notes(series, fy, seq);
CREATE INDEX credit_notes_invoice ON credit_notes(invoice_id);
CREATE INDEX credit_notes_date ON credit_notes(date);
CREATE INDEX credit_notes_report ON credit_notes(
  date, id, number, series, fy, seq, invoice_id, grand_total, party_name, party_gstin, party_state, place_of_supply,
  supply_type, invoice_number, invoice_date, taxable, cgst, sgst, igst, cess, round_off, refunded, maybe_exempt);

CREATE TABLE purchases_new (
  rid         INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  business_id TEXT NOT NULL,
  hlc         TEXT NOT NULL,
  date        TEXT,
  bill_number TEXT,
  party_id    TEXT,
  party_name  TEXT,
  party_gstin TEXT,
  party_state TEXT,
  supply_type TEXT,
  taxable     INTEGER,
  cgst        INTEGER,
  sgst        INTEGER,
  igst        INTEGER,
  cess        INTEGER,
  round_off   INTEGER,
  grand_total INTEGER,
  paid        INTEGER,
  data        TEXT NOT NULL
);
INSERT INTO purchases_new(rid, id, business_id, hlc, date, bill_number, party_id, party_name, party_gstin, party_state,
  supply_type, taxable, cgst, sgst, igst, cess, round_off, grand_total, paid, data)
SELECT rid, id, business_id, hlc, date, bill_number, party_id, data->>'$.party.name', data->>'$.party.gstin',
  data->>'$.party.state_code', data->>'supply_type', data->>'taxable', data->>'cgst', data->>'sgst', data->>'igst',
  data->>'cess', data->>'round_off', grand_total, data->>'paid', data
FROM purchases ORDER BY rid;
DROP TABLE purchases;
ALTER TABLE purchases_new RENAME TO purchases;
CREATE INDEX purchases_date ON purchases(date);
CREATE INDEX purchases_report ON purchases(
  date, id, bill_number, grand_total, party_name, party_gstin, party_state, supply_type,
  taxable, cgst, sgst, igst, cess, round_off, paid);
