-- Retention (server/housekeeping) deletes by age: these let it find the
-- old rows without reading the tables.
CREATE INDEX security_events_at ON security_events (at);
CREATE INDEX sync_rejections_created ON sync_rejections (created_at);
