-- Privacy rights (server/privacy): closing an account, the purge 30 days
-- later, and exports of a business's data.
ALTER TABLE accounts ADD COLUMN closed_at BIGINT;

-- One row per closed account. After the purge only the ids and times stay:
-- the proof that the account was closed and purged, with nothing personal.
CREATE TABLE account_closures (
	account_id  TEXT PRIMARY KEY,
	business_id TEXT NOT NULL,
	closed_at   BIGINT NOT NULL,
	purge_at    BIGINT NOT NULL,
	purged_at   BIGINT
);
CREATE INDEX account_closures_due ON account_closures (purge_at) WHERE purged_at IS NULL;

CREATE TABLE exports (
	id          TEXT PRIMARY KEY,
	business_id TEXT NOT NULL,
	account_id  TEXT NOT NULL,
	state       TEXT NOT NULL,
	done        BIGINT NOT NULL DEFAULT 0,
	total       BIGINT NOT NULL DEFAULT 0,
	file        TEXT NOT NULL DEFAULT '',
	size        BIGINT NOT NULL DEFAULT 0,
	error       TEXT NOT NULL DEFAULT '',
	created_at  BIGINT NOT NULL,
	expires_at  BIGINT NOT NULL
);
CREATE INDEX exports_business ON exports (business_id, created_at);
CREATE INDEX exports_expires ON exports (expires_at);
