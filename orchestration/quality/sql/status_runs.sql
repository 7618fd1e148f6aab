-- The last ten ingest runs.
SELECT
    run_id,
    min(started_at)::VARCHAR AS started_at,
    count(DISTINCT source_file) FILTER (WHERE status <> 'skipped') AS files,
    sum(records_read) AS records_read,
    sum(stored) AS stored,
    sum(duplicates) AS duplicates,
    sum(quarantined) AS quarantined,
    count(*) FILTER (WHERE status = 'file_quarantined') AS files_quarantined
FROM raw.ingest_ledger
GROUP BY run_id
ORDER BY min(started_at) DESC
LIMIT 10;
