-- The ledger rows of the runs not exported yet, partitioned by feed.
SELECT
    run_id,
    source_file,
    status,
    timezone('UTC', started_at) AS started_at,
    timezone('UTC', finished_at) AS finished_at,
    records_read,
    stored,
    duplicates,
    quarantined,
    byte_offset_from,
    byte_offset_to,
    last_line,
    prefix_sha256,
    message,
    feed_id,
    feed_org_id AS org_id
FROM raw.ingest_ledger
WHERE run_id IN (SELECT unnest($run_ids))
ORDER BY org_id, run_id, source_file, started_at
