-- The landing suite rejected the batch: nothing of it is appended; every
-- record that would have been stored or counted as a duplicate is
-- quarantined instead (with its original bytes, so the file can be fixed
-- and replayed). Parameter: $message.
UPDATE landing_outcome
SET outcome = 'quarantined', reason = 'batch_rejected', message = $message
WHERE outcome <> 'quarantined';
