-- Where the last run left each file of a feed: the end of the bytes it
-- consumed (or, for a file quarantined whole, its size then), the digest of
-- those bytes and the file's mtime then (file_digest.py), so an unchanged
-- file is skipped and a changed one noticed.
SELECT
    source_file,
    byte_offset_to,
    last_line,
    prefix_sha256,
    status,
    source_mtime_ns
FROM raw.ingest_ledger
WHERE feed_id = $feed_id AND status IN ('ingested', 'file_quarantined')
QUALIFY row_number() OVER (PARTITION BY source_file ORDER BY finished_at DESC, byte_offset_to DESC) = 1;
