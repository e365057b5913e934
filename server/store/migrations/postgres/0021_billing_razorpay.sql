-- Every Razorpay subscription we created, with the token of its checkout
-- page, and every Razorpay webhook event received (idempotency by event id).
CREATE TABLE billing_checkouts (
	subscription_id TEXT PRIMARY KEY,
	business_id     TEXT NOT NULL,
	plan            TEXT NOT NULL,
	token           TEXT NOT NULL UNIQUE,
	created_at      BIGINT NOT NULL,
	verified_at     BIGINT NOT NULL DEFAULT 0,
	payment_id      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX billing_checkouts_business ON billing_checkouts (business_id, created_at);

CREATE TABLE billing_events (
	event_id     TEXT PRIMARY KEY,
	event        TEXT NOT NULL,
	body         TEXT NOT NULL,
	received_at  BIGINT NOT NULL,
	processed_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX billing_events_received ON billing_events (received_at);
