-- The quarantined records of the runs not exported yet, partitioned by feed.
SELECT
    run_id,
    timezone('UTC', quarantined_at) AS quarantined_at,
    source_file,
    source_sheet,
    source_line,
    reason,
    message,
    event_id,
    original,
    original_bytes,
    feed_id,
    feed_org_id AS org_id
FROM raw.quarantine
WHERE run_id IN (SELECT unnest($run_ids))
ORDER BY org_id, run_id, source_file, source_line
