-- A shop's own WhatsApp number (server/whatsapp): its phone number id,
-- and its access token and app secret sealed with the server key
-- (server/secrets); verify_token answers the handshake of the shop's own
-- Meta app's webhook. Template names and language empty: the server's.
CREATE TABLE wa_numbers (
	business_id       TEXT PRIMARY KEY,
	phone_number_id   TEXT NOT NULL UNIQUE,
	display_phone     TEXT NOT NULL DEFAULT '',
	token             TEXT NOT NULL,
	app_secret        TEXT NOT NULL,
	verify_token      TEXT NOT NULL UNIQUE,
	template_invoice  TEXT NOT NULL DEFAULT '',
	template_reminder TEXT NOT NULL DEFAULT '',
	template_lang     TEXT NOT NULL DEFAULT '',
	created_at        INTEGER NOT NULL,
	updated_at        INTEGER NOT NULL
);
