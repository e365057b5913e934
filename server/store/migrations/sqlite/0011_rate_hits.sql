-- Rate limits shared by every server instance (issue 11): one row per
-- counted request (a sign-up per address), pruned after a day.
CREATE TABLE rate_hits (
	key TEXT NOT NULL,
	at  INTEGER NOT NULL
);
CREATE INDEX rate_hits_key ON rate_hits (key, at);
CREATE INDEX rate_hits_at ON rate_hits (at);
