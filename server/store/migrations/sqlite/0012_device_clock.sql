-- The id a device's change stamps carry (issue 11): given at login, or the
-- device's own id; NULL for devices signed in before this (not checked).
-- resend_through: after a loss the device reported (an honoured rebase),
-- the last mutation number of its books queued again, which may carry
-- other devices' stamps.
ALTER TABLE devices ADD COLUMN clock_id TEXT;
ALTER TABLE devices ADD COLUMN resend_through INTEGER NOT NULL DEFAULT 0;
