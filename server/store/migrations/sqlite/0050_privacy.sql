-- Privacy rights (server/privacy): closing an account, the purge 30 days
-- later, and exports of a business's data.
ALTER TABLE accounts ADD COLUMN closed_at INTEGER;

-- One row per closed account. After the purge only the ids and times stay:
-- the proof that the account was closed and purged, with nothing personal.
CREATE TABLE account_closures (
	account_id  TEXT PRIMARY KEY,
	business_id TEXT NOT NULL,
	closed_at   INTEGER NOT NULL,
	purge_at    INTEGER NOT NULL,
	purged_at   INTEGER
);
CREATE INDEX account_closures_due ON account_closures (purge_at) WHERE purged_at IS NULL;

CREATE TABLE exports (
	id          TEXT PRIMARY KEY,
	business_id TEXT NOT NULL,
	account_id  TEXT NOT NULL,
	state       TEXT NOT NULL,
	done        INTEGER NOT NULL DEFAULT 0,
	total       INTEGER NOT NULL DEFAULT 0,
	file        TEXT NOT NULL DEFAULT '',
	size        INTEGER NOT NULL DEFAULT 0,
	error       TEXT NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL,
	expires_at  INTEGER NOT NULL
);
CREATE INDEX exports_business ON exports (business_id, created_at);
CREATE INDEX exports_expires ON exports (expires_at);
