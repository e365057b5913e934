-- Emails (server/mail, server/privacy): marketing opt-outs with their
-- one-click unsubscribe tokens, what was sent (so a retried job does not
-- send twice), and notices of policy changes with who has seen them.
CREATE TABLE email_prefs (
	account_id           TEXT PRIMARY KEY,
	unsubscribe_token    TEXT NOT NULL UNIQUE,
	marketing_opt_out_at INTEGER
);

CREATE TABLE email_log (
	account_id TEXT NOT NULL,
	kind       TEXT NOT NULL,
	ref        TEXT NOT NULL,
	sent_at    INTEGER NOT NULL,
	PRIMARY KEY (account_id, kind, ref)
);

CREATE TABLE notices (
	id         TEXT PRIMARY KEY,
	kind       TEXT NOT NULL,
	version    TEXT NOT NULL,
	subject    TEXT NOT NULL,
	summary    TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	emailed_at INTEGER,
	UNIQUE (kind, version)
);

CREATE TABLE notice_seen (
	account_id TEXT NOT NULL,
	notice_id  TEXT NOT NULL,
	seen_at    INTEGER NOT NULL,
	PRIMARY KEY (account_id, notice_id)
);
