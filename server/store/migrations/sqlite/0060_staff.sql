-- Staff (issue 18): the staff member signed in on each device, as the
-- server last verified their PIN, and until when. The staff records are the
-- synced rows of table 'staff' (sync_rows); the server reads them, never
-- writes them.
ALTER TABLE devices ADD COLUMN user_id TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN user_until INTEGER NOT NULL DEFAULT 0;

-- Wrong staff PINs given to the server, for the lockout. No foreign keys to
-- businesses: the privacy purge deletes these rows itself.
CREATE TABLE staff_pin_failures (
	business_id TEXT NOT NULL,
	staff_id    TEXT NOT NULL,
	at          INTEGER NOT NULL
);
CREATE INDEX staff_pin_failures_key ON staff_pin_failures (business_id, staff_id, at);
