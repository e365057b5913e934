-- Our GST tax invoices to the shops, numbered gaplessly per financial year.
-- Kept 7 years, also after the account is purged: no foreign keys.
CREATE TABLE billing_invoice_counters (
	fy   TEXT PRIMARY KEY,
	last BIGINT NOT NULL
);

CREATE TABLE billing_invoices (
	id              TEXT PRIMARY KEY,
	business_id     TEXT NOT NULL,
	number          TEXT NOT NULL UNIQUE,
	fy              TEXT NOT NULL,
	seq             BIGINT NOT NULL,
	issued_at       BIGINT NOT NULL,
	payment_id      TEXT NOT NULL UNIQUE,
	subscription_id TEXT NOT NULL,
	plan            TEXT NOT NULL,
	plan_name       TEXT NOT NULL,
	period_start    BIGINT NOT NULL,
	period_end      BIGINT NOT NULL,
	seller          TEXT NOT NULL,
	buyer           TEXT NOT NULL,
	supply          TEXT NOT NULL,
	taxable         BIGINT NOT NULL,
	cgst            BIGINT NOT NULL,
	sgst            BIGINT NOT NULL,
	igst            BIGINT NOT NULL,
	total           BIGINT NOT NULL,
	UNIQUE (fy, seq)
);
CREATE INDEX billing_invoices_business ON billing_invoices (business_id, issued_at);
