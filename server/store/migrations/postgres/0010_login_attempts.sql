-- Login throttling (issue 11): every login attempt is recorded before the
-- password is checked, keyed by a hash of the login as typed (known and
-- unknown accounts alike) and the client address. state: 0 being checked
-- (or the client went away: counts as a failure), 1 failed, 2 succeeded
-- (kept 30 days: an address the owner signed in from stays usable while
-- the account is under attack from elsewhere).
DROP TABLE login_failures;

CREATE TABLE login_attempts (
	id        BIGSERIAL PRIMARY KEY,
	login_key TEXT NOT NULL,
	ip        TEXT NOT NULL,
	at        BIGINT NOT NULL,
	state     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX login_attempts_pair ON login_attempts (login_key, ip, at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, at);
CREATE INDEX login_attempts_at ON login_attempts (at);
