-- Take the records of files quarantined whole ($files) out of a resolved
-- batch: they are not records of the feed's format, and none of them could
-- be stored, so the rest of the batch is decided as before.
DELETE FROM landing_outcome
WHERE list_contains($files, source_file);
