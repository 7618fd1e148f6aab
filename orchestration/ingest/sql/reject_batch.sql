-- The landing suite rejected the batch: nothing of it is appended; every
-- record that would have been stored or counted as a duplicate is
-- quarantined instead, with its original read again from the batch's
-- records and redacted (so the file can be fixed and replayed). Parameter:
-- $message.
UPDATE landing_outcome AS o
SET
    outcome = 'quarantined', reason = 'batch_rejected', message = $message,
    original = redact_emails(r.original), original_bytes = redact_email_bytes(r.original_bytes)
FROM landing_records AS r
WHERE r.batch_row = o.batch_row AND o.outcome <> 'quarantined';
