CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE accounts (
	id                TEXT PRIMARY KEY,
	name              TEXT NOT NULL,
	email             TEXT NOT NULL UNIQUE,
	phone             TEXT NOT NULL UNIQUE,
	password_hash     TEXT NOT NULL,
	age_confirmed_at  INTEGER NOT NULL,
	terms_accepted_at INTEGER NOT NULL,
	created_at        INTEGER NOT NULL
);

CREATE TABLE businesses (
	id            TEXT PRIMARY KEY,
	account_id    TEXT NOT NULL REFERENCES accounts(id),
	name          TEXT NOT NULL,
	gstin         TEXT NOT NULL DEFAULT '',
	state_code    TEXT NOT NULL,
	address       TEXT NOT NULL DEFAULT '',
	city          TEXT NOT NULL DEFAULT '',
	category      TEXT NOT NULL DEFAULT '',
	devices_added INTEGER NOT NULL DEFAULT 0,
	created_at    INTEGER NOT NULL
);
CREATE INDEX businesses_account ON businesses (account_id);

CREATE TABLE devices (
	id           TEXT PRIMARY KEY,
	business_id  TEXT NOT NULL REFERENCES businesses(id),
	account_id   TEXT NOT NULL REFERENCES accounts(id),
	name         TEXT NOT NULL,
	series       TEXT NOT NULL,
	token_hash   TEXT NOT NULL UNIQUE,
	last_n       INTEGER NOT NULL DEFAULT 0,
	created_at   INTEGER NOT NULL,
	last_seen_at INTEGER,
	revoked_at   INTEGER,
	UNIQUE (business_id, series)
);

CREATE TABLE sync_counters (
	business_id TEXT PRIMARY KEY REFERENCES businesses(id),
	seq         INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sync_rows (
	business_id TEXT NOT NULL,
	tbl         TEXT NOT NULL,
	id          TEXT NOT NULL,
	hlc         TEXT NOT NULL,
	deleted     INTEGER NOT NULL DEFAULT 0,
	data        TEXT NOT NULL,
	field_hlc   TEXT NOT NULL,
	seq         INTEGER NOT NULL,
	device_id   TEXT NOT NULL,
	updated_at  INTEGER NOT NULL,
	PRIMARY KEY (business_id, tbl, id)
);
CREATE UNIQUE INDEX sync_rows_seq ON sync_rows (business_id, seq);

CREATE TABLE sync_rejections (
	business_id TEXT NOT NULL,
	device_id   TEXT NOT NULL,
	n           INTEGER NOT NULL,
	tbl         TEXT NOT NULL,
	row_id      TEXT NOT NULL,
	code        TEXT NOT NULL,
	message     TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	PRIMARY KEY (business_id, device_id, n)
);

CREATE TABLE login_failures (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	account_id TEXT NOT NULL DEFAULT '',
	ip         TEXT NOT NULL,
	at         INTEGER NOT NULL
);
CREATE INDEX login_failures_account ON login_failures (account_id, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);
CREATE INDEX login_failures_at ON login_failures (at);

CREATE TABLE security_events (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	at          INTEGER NOT NULL,
	kind        TEXT NOT NULL,
	business_id TEXT NOT NULL DEFAULT '',
	account_id  TEXT NOT NULL DEFAULT '',
	device_id   TEXT NOT NULL DEFAULT '',
	ip          TEXT NOT NULL,
	user_agent  TEXT NOT NULL,
	detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX security_events_business ON security_events (business_id, at);
