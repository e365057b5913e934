-- A send job holds a message while it works on it (server/whatsapp): the
-- batch job that sends many messages of a push, or the job that sends one
-- (a retry, or one the sweep found). Another job takes the message only
-- once the lease has run out: never two sends of one message at once.
ALTER TABLE wa_sends ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE wa_sends ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
