-- The AI proxy's usage log (server/ai): one row per request to the model,
-- with who, when, the model, token counts and the outcome. It never holds
-- a prompt or an answer.
CREATE TABLE ai_usage (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	business_id   TEXT NOT NULL,
	device_id     TEXT NOT NULL,
	at            INTEGER NOT NULL,
	model         TEXT NOT NULL,
	input_tokens  INTEGER NOT NULL DEFAULT 0,
	output_tokens INTEGER NOT NULL DEFAULT 0,
	outcome       TEXT NOT NULL,
	question      INTEGER NOT NULL DEFAULT 0,
	duration_ms   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ai_usage_business ON ai_usage (business_id, at);
