-- Where the last run left a file: the end of the bytes it consumed (or, for
-- a file quarantined whole, its size then), so an unchanged file is skipped.
SELECT
    byte_offset_to,
    last_line,
    prefix_sha256,
    status
FROM raw.ingest_ledger
WHERE source_file = $source_file AND status IN ('ingested', 'file_quarantined')
ORDER BY finished_at DESC, byte_offset_to DESC
LIMIT 1;
