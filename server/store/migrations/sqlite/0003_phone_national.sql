-- Owners' phones are kept as the app keeps every phone: the 10-digit Indian
-- mobile number (gst.NormalizeMobile). Until now the server kept 91 and the
-- 10 digits; logins normalise to the new form, so the old rows move with it.
UPDATE accounts SET phone = substr(phone, 3) WHERE length(phone) = 12 AND phone LIKE '91%';
