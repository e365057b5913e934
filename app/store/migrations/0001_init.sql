-- Local-only settings of this device and its books (never synced).
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- Records: last writer wins per field (sync.Merge). data is canonical JSON
-- (sorted keys); field_hlc holds the stamp of each field's last write.
CREATE TABLE business (
  id          TEXT PRIMARY KEY,
  business_id TEXT NOT NULL,
  hlc         TEXT NOT NULL,
  field_hlc   TEXT NOT NULL DEFAULT '{}',
  deleted     INTEGER NOT NULL DEFAULT 0,
  data        TEXT NOT NULL
);

CREATE TABLE products (
  rid         INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  business_id TEXT NOT NULL,
  hlc         TEXT NOT NULL,
  field_hlc   TEXT NOT NULL DEFAULT '{}',
  deleted     INTEGER NOT NULL DEFAULT 0,
  data        TEXT NOT NULL,
  name        TEXT GENERATED ALWAYS AS (data->>'name') STORED,
  sku         TEXT GENERATED ALWAYS AS (data->>'sku') STORED,
  sale_price  INTEGER GENERATED ALWAYS AS (data->>'sale_price') STORED,
  opening_stock INTEGER GENERATED ALWAYS AS (coalesce(data->>'opening_stock', 0)) STORED,
  reorder_level INTEGER GENERATED ALWAYS AS (coalesce(data->>'reorder_level', 0)) STORED
);
CREATE INDEX products_name ON products(name COLLATE NOCASE) WHERE deleted = 0;
CREATE INDEX products_sku ON products(sku) WHERE sku IS NOT NULL;

-- Barcodes and SKUs of products for exact scans (derived from products).
CREATE TABLE product_codes (
  code       TEXT NOT NULL,
  product_id TEXT NOT NULL,
  PRIMARY KEY (code, product_id)
) WITHOUT ROWID;
CREATE INDEX product_codes_product ON product_codes(product_id);

CREATE VIRTUAL TABLE product_fts USING fts5(
  name, sku, content='products', content_rowid='rid',
  tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
);
CREATE TRIGGER products_fts_ai AFTER INSERT ON products BEGIN
  INSERT INTO product_fts(rowid, name, sku) VALUES (new.rid, new.name, coalesce(new.sku, ''));
END;
CREATE TRIGGER products_fts_ad AFTER DELETE ON products BEGIN
  INSERT INTO product_fts(product_fts, rowid, name, sku) VALUES ('delete', old.rid, old.name, coalesce(old.sku, ''));
END;
CREATE TRIGGER products_fts_au AFTER UPDATE OF data ON products BEGIN
  INSERT INTO product_fts(product_fts, rowid, name, sku) VALUES ('delete', old.rid, old.name, coalesce(old.sku, ''));
  INSERT INTO product_fts(rowid, name, sku) VALUES (new.rid, new.name, coalesce(new.sku, ''));
END;

CREATE TABLE parties (
  rid         INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  business_id TEXT NOT NULL,
  hlc         TEXT NOT NULL,
  field_hlc   TEXT NOT NULL DEFAULT '{}',
  deleted     INTEGER NOT NULL DEFAULT 0,
  data        TEXT NOT NULL,
  name        TEXT GENERATED ALWAYS AS (data->>'name') STORED,
  kind        TEXT GENERATED ALWAYS AS (data->>'kind') STORED,
  phone       TEXT GENERATED ALWAYS AS (data->>'phone') STORED,
  opening_balance INTEGER GENERATED ALWAYS AS (coalesce(data->>'opening_balance', 0)) STORED
);
CREATE INDEX parties_name ON parties(name COLLATE NOCASE);
CREATE INDEX parties_phone ON parties(phone) WHERE phone IS NOT NULL;

CREATE TABLE expense_categories (
  id TEXT PRIMARY KEY, business_id TEXT NOT NULL, hlc TEXT NOT NULL,
  field_hlc TEXT NOT NULL DEFAULT '{}', deleted INTEGER NOT NULL DEFAULT 0, data TEXT NOT NULL
);
CREATE TABLE message_templates (
  id TEXT PRIMARY KEY, business_id TEXT NOT NULL, hlc TEXT NOT NULL,
  field_hlc TEXT NOT NULL DEFAULT '{}', deleted INTEGER NOT NULL DEFAULT 0, data TEXT NOT NULL
);
-- Rows of tables this build does not know (from a newer app), kept as they came.
CREATE TABLE unknown_rows (
  tbl TEXT NOT NULL, id TEXT NOT NULL, business_id TEXT NOT NULL, hlc TEXT NOT NULL,
  field_hlc TEXT NOT NULL DEFAULT '{}', deleted INTEGER NOT NULL DEFAULT 0, data TEXT NOT NULL,
  PRIMARY KEY (tbl, id)
) WITHOUT ROWID;

-- Documents: written once, never updated (data is canonical JSON).
-- cancelled is derived locally from cancellations and is not synced.
CREATE TABLE invoices (
  rid         INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  business_id TEXT NOT NULL,
  hlc         TEXT NOT NULL,
  data        TEXT NOT NULL,
  cancelled   INTEGER NOT NULL DEFAULT 0,
  number      TEXT GENERATED ALWAYS AS (data->>'number') STORED,
  kind        TEXT GENERATED ALWAYS AS (data->>'kind') STORED,
  series      TEXT GENERATED ALWAYS AS (data->>'series') STORED,
  fy          INTEGER GENERATED ALWAYS AS (data->>'fy') STORED,
  seq         INTEGER GENERATED ALWAYS AS (data->>'seq') STORED,
  date        TEXT GENERATED ALWAYS AS (data->>'date') STORED,
  party_id    TEXT GENERATED ALWAYS AS (data->>'$.party.id') STORED,
  party_name  TEXT GENERATED ALWAYS AS (data->>'$.party.name') STORED,
  grand_total INTEGER GENERATED ALWAYS AS (data->>'grand_total') STORED
);
CREATE INDEX invoices_series ON invoices(series, fy, seq);
CREATE INDEX invoices_number ON invoices(number);
CREATE INDEX invoices_date ON invoices(date, rid);
CREATE INDEX invoices_party ON invoices(party_id, date) WHERE party_id IS NOT NULL;

CREATE TABLE credit_notes (
  rid         INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  business_id TEXT NOT NULL,
  hlc         TEXT NOT NULL,
  data        TEXT NOT NULL,
  number      TEXT GENERATED ALWAYS AS (data->>'number') STORED,
  series      TEXT GENERATED ALWAYS AS (data->>'series') STORED,
  fy          INTEGER GENERATED ALWAYS AS (data->>'fy') STORED,
  seq         INTEGER GENERATED ALWAYS AS (data->>'seq') STORED,
  date        TEXT GENERATED ALWAYS AS (data->>'date') STORED,
  invoice_id  TEXT GENERATED ALWAYS AS (data->>'invoice_id') STORED,
  grand_total INTEGER GENERATED ALWAYS AS (data->>'grand_total') STORED
);
CREATE INDEX credit_notes_series ON credit_notes(series, fy, seq);
CREATE INDEX credit_notes_invoice ON credit_notes(invoice_id);
CREATE INDEX credit_notes_date ON credit_notes(date);

CREATE TABLE purchases (
  rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, business_id TEXT NOT NULL, hlc TEXT NOT NULL, data TEXT NOT NULL,
  date        TEXT GENERATED ALWAYS AS (data->>'date') STORED,
  bill_number TEXT GENERATED ALWAYS AS (data->>'bill_number') STORED,
  party_id    TEXT GENERATED ALWAYS AS (data->>'$.party.id') STORED,
  grand_total INTEGER GENERATED ALWAYS AS (data->>'grand_total') STORED
);
CREATE INDEX purchases_date ON purchases(date);

CREATE TABLE payments (
  rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, business_id TEXT NOT NULL, hlc TEXT NOT NULL, data TEXT NOT NULL,
  date     TEXT GENERATED ALWAYS AS (data->>'date') STORED,
  party_id TEXT GENERATED ALWAYS AS (data->>'$.party.id') STORED
);
CREATE INDEX payments_date ON payments(date);

CREATE TABLE expenses (
  rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, business_id TEXT NOT NULL, hlc TEXT NOT NULL, data TEXT NOT NULL,
  date     TEXT GENERATED ALWAYS AS (data->>'date') STORED,
  category TEXT GENERATED ALWAYS AS (data->>'category') STORED,
  amount   INTEGER GENERATED ALWAYS AS (data->>'amount') STORED
);
CREATE INDEX expenses_date ON expenses(date);

CREATE TABLE stock_adjustments (
  rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, business_id TEXT NOT NULL, hlc TEXT NOT NULL, data TEXT NOT NULL,
  date       TEXT GENERATED ALWAYS AS (data->>'date') STORED,
  product_id TEXT GENERATED ALWAYS AS (data->>'product_id') STORED
);

CREATE TABLE cancellations (
  rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, business_id TEXT NOT NULL, hlc TEXT NOT NULL, data TEXT NOT NULL,
  doc_id TEXT GENERATED ALWAYS AS (data->>'doc_id') STORED,
  date   TEXT GENERATED ALWAYS AS (data->>'date') STORED
);
CREATE INDEX cancellations_doc ON cancellations(doc_id);

-- Derived (never synced; rebuilt from documents by store.Rebuild).
-- Every priced line of every document, with its stock effect.
CREATE TABLE doc_lines (
  doc_id      TEXT NOT NULL,
  n           INTEGER NOT NULL,
  doc_table   TEXT NOT NULL,
  date        TEXT NOT NULL,
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
  PRIMARY KEY (doc_id, n)
) WITHOUT ROWID;
CREATE INDEX doc_lines_product ON doc_lines(product_id, date);
CREATE INDEX doc_lines_date ON doc_lines(date);

-- Stock on hand beyond opening stock, per product: the sum of stock_delta.
CREATE TABLE stock_levels (
  product_id TEXT PRIMARY KEY,
  qty        INTEGER NOT NULL
) WITHOUT ROWID;

-- What each document does to a party's account. debit: they owe more.
CREATE TABLE ledger (
  doc_id    TEXT NOT NULL,
  party_id  TEXT NOT NULL,
  doc_table TEXT NOT NULL,
  date      TEXT NOT NULL,
  number    TEXT NOT NULL DEFAULT '',
  debit     INTEGER NOT NULL,
  credit    INTEGER NOT NULL,
  cancelled INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (doc_id, party_id)
) WITHOUT ROWID;
CREATE INDEX ledger_party ON ledger(party_id, date);

-- Money in and out by mode (cash book, collections).
CREATE TABLE money_moves (
  doc_id    TEXT NOT NULL,
  n         INTEGER NOT NULL,
  doc_table TEXT NOT NULL,
  date      TEXT NOT NULL,
  mode      TEXT NOT NULL,
  amount_in  INTEGER NOT NULL,
  amount_out INTEGER NOT NULL,
  cancelled INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (doc_id, n)
) WITHOUT ROWID;
CREATE INDEX money_moves_date ON money_moves(date);

-- The sync outbox: one entry per local change, written in the change's own
-- transaction. n is the device's gapless mutation number.
CREATE TABLE outbox (
  n      INTEGER PRIMARY KEY AUTOINCREMENT,
  tbl    TEXT NOT NULL,
  row_id TEXT NOT NULL,
  hlc    TEXT NOT NULL,
  op     TEXT NOT NULL,
  data   TEXT NOT NULL
);
