-- Each feed's files and records, all runs together, and its latest delivery.
SELECT
    feed_id,
    feed_org_id AS org_id,
    count(DISTINCT source_file) AS files,
    count(DISTINCT source_file) FILTER (WHERE status = 'file_quarantined') AS files_quarantined,
    sum(records_read) AS records_read,
    sum(stored) AS stored,
    sum(duplicates) AS duplicates,
    sum(quarantined) AS quarantined,
    max(finished_at) FILTER (WHERE records_read > 0)::VARCHAR AS last_new_record
FROM raw.ingest_ledger
GROUP BY feed_id, feed_org_id
ORDER BY feed_id;
