-- The account web page (server/accountweb): server-side sessions of the
-- one essential cookie. The cookie holds a random token; only its hash is
-- kept here, with the form (CSRF) token of the session. Signing out,
-- closing the account and the purge delete them; expired ones are pruned.
CREATE TABLE web_sessions (
	token_hash  TEXT PRIMARY KEY,
	account_id  TEXT NOT NULL,
	business_id TEXT NOT NULL,
	csrf        TEXT NOT NULL,
	lang        TEXT NOT NULL DEFAULT 'en',
	created_at  BIGINT NOT NULL,
	expires_at  BIGINT NOT NULL
);
CREATE INDEX web_sessions_account ON web_sessions (account_id);
CREATE INDEX web_sessions_expires ON web_sessions (expires_at);
