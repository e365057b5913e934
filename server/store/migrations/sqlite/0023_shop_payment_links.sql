-- A shop's own Razorpay account, for payment links to its customers: the
-- key id, and the key secret and webhook secret sealed with the server key
-- (server/secrets); webhook_token names the shop in its webhook's address.
CREATE TABLE shop_razorpay_keys (
	business_id    TEXT PRIMARY KEY,
	key_id         TEXT NOT NULL,
	key_secret     TEXT NOT NULL,
	webhook_secret TEXT NOT NULL,
	webhook_token  TEXT NOT NULL UNIQUE,
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL
);

-- One payment link per invoice (Razorpay's reference_id is the invoice id),
-- and the payment that settled it.
CREATE TABLE shop_payment_links (
	business_id  TEXT NOT NULL,
	invoice_id   TEXT NOT NULL,
	link_id      TEXT NOT NULL DEFAULT '',
	short_url    TEXT NOT NULL DEFAULT '',
	amount       INTEGER NOT NULL,
	status       TEXT NOT NULL,
	error        TEXT NOT NULL DEFAULT '',
	payment_id   TEXT NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL,
	PRIMARY KEY (business_id, invoice_id)
);
CREATE INDEX shop_payment_links_link ON shop_payment_links (link_id);
