-- Staff (issue 18): members with their role and PIN hash, a synced record
-- (last writer wins per field; removal is a tombstone).
CREATE TABLE staff (
  id          TEXT PRIMARY KEY,
  business_id TEXT NOT NULL,
  hlc         TEXT NOT NULL,
  field_hlc   TEXT NOT NULL DEFAULT '{}',
  deleted     INTEGER NOT NULL DEFAULT 0,
  data        TEXT NOT NULL,
  name        TEXT GENERATED ALWAYS AS (data->>'name') STORED,
  role        TEXT GENERATED ALWAYS AS (data->>'role') STORED
);
CREATE INDEX staff_name ON staff(name COLLATE NOCASE) WHERE deleted = 0;

-- A manager's approval of a cashier's override: a synced document.
CREATE TABLE staff_overrides (
  rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, business_id TEXT NOT NULL, hlc TEXT NOT NULL, data TEXT NOT NULL,
  created_at TEXT GENERATED ALWAYS AS (data->>'created_at') STORED
);
CREATE INDEX staff_overrides_created ON staff_overrides(created_at);

-- Wrong PINs in a row on this device (local, never synced).
CREATE TABLE staff_pin_failures (
  staff_id TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  last_at  TEXT NOT NULL
) WITHOUT ROWID;

-- Rows of these tables that an older build kept as unknown rows (they came
-- from a newer device) become real rows now.
INSERT OR IGNORE INTO staff(id, business_id, hlc, field_hlc, deleted, data)
  SELECT id, business_id, hlc, field_hlc, deleted, data FROM unknown_rows WHERE tbl = 'staff';
INSERT OR IGNORE INTO staff_overrides(id, business_id, hlc, data)
  SELECT id, business_id, hlc, data FROM unknown_rows WHERE tbl = 'staff_overrides';
DELETE FROM unknown_rows WHERE tbl IN ('staff', 'staff_overrides');

-- Who made each document, for "made by" on screens, the day book and
-- per-user collections.
ALTER TABLE invoices ADD COLUMN made_by TEXT GENERATED ALWAYS AS (data->>'made_by') VIRTUAL;
ALTER TABLE credit_notes ADD COLUMN made_by TEXT GENERATED ALWAYS AS (data->>'made_by') VIRTUAL;
ALTER TABLE payments ADD COLUMN made_by TEXT GENERATED ALWAYS AS (data->>'made_by') VIRTUAL;
ALTER TABLE expenses ADD COLUMN made_by TEXT GENERATED ALWAYS AS (data->>'made_by') VIRTUAL;
CREATE INDEX invoices_made_by ON invoices(made_by, date) WHERE made_by IS NOT NULL;
