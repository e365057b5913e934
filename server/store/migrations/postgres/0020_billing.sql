-- Billing (server/plans, server/billing): a business's subscription and its
-- monthly counts. No foreign keys to businesses: the privacy purge deletes
-- these rows itself.
CREATE TABLE billing_subscriptions (
	business_id         TEXT PRIMARY KEY,
	plan                TEXT NOT NULL,
	status              TEXT NOT NULL,
	subscription_id     TEXT NOT NULL DEFAULT '',
	current_end         BIGINT NOT NULL DEFAULT 0,
	changed_at          BIGINT NOT NULL DEFAULT 0,
	event_at            BIGINT NOT NULL DEFAULT 0,
	cancel_at_cycle_end BIGINT NOT NULL DEFAULT 0,
	updated_at          BIGINT NOT NULL
);
CREATE INDEX billing_subscriptions_sub ON billing_subscriptions (subscription_id);

CREATE TABLE billing_usage (
	business_id TEXT NOT NULL,
	feature     TEXT NOT NULL,
	month       TEXT NOT NULL,
	used        BIGINT NOT NULL,
	PRIMARY KEY (business_id, feature, month)
);
