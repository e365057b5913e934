-- WhatsApp sends (server/whatsapp). One row per message a device asked
-- for, keyed by the device-made message id: the send job reads and updates
-- it so a retried job never uploads or sends twice. base_at is the fixed
-- wall time of the message's status stamps (protocol.WAStatusRank).
CREATE TABLE wa_sends (
	business_id TEXT NOT NULL,
	message_id  TEXT NOT NULL,
	to_phone    TEXT NOT NULL DEFAULT '',
	base_at     BIGINT NOT NULL,
	media_id    TEXT NOT NULL DEFAULT '',
	wamid       TEXT,
	quota_used  INTEGER NOT NULL DEFAULT 0,
	state       TEXT NOT NULL DEFAULT 'pending',
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL,
	PRIMARY KEY (business_id, message_id)
);
CREATE UNIQUE INDEX wa_sends_wamid ON wa_sends (wamid);
CREATE INDEX wa_sends_to ON wa_sends (to_phone, created_at);

-- Pacing: the next free time (Unix ms) of a sending slot, for the
-- configured rate and per recipient; shared by every instance.
CREATE TABLE wa_pacing (
	key     TEXT PRIMARY KEY,
	next_at BIGINT NOT NULL
);

-- The sweep that starts sends a push did not (the server stopped between
-- the push's commit and the job's enqueue) reads recent requests only.
CREATE INDEX sync_rows_wa_recent ON sync_rows (updated_at) WHERE tbl = 'wa_messages';
