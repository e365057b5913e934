-- Usage events and error reports sent by the app (POST /v1/telemetry):
-- which feature, when, which app version; an error's message and stack.
-- Never business data. Deleted by age by the retention job.
CREATE TABLE usage_events (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	business_id TEXT NOT NULL,
	device_id   TEXT NOT NULL,
	feature     TEXT NOT NULL,
	at          INTEGER NOT NULL,
	app_version TEXT NOT NULL
);
CREATE INDEX usage_events_at ON usage_events (at);
CREATE INDEX usage_events_business ON usage_events (business_id);

CREATE TABLE error_reports (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	business_id TEXT NOT NULL,
	device_id   TEXT NOT NULL,
	message     TEXT NOT NULL,
	stack       TEXT NOT NULL,
	at          INTEGER NOT NULL,
	app_version TEXT NOT NULL
);
CREATE INDEX error_reports_at ON error_reports (at);
CREATE INDEX error_reports_business ON error_reports (business_id);
