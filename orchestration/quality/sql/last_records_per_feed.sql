-- When each feed last delivered a new record (a run that read records).
SELECT
    feed_id,
    max(finished_at)
FROM raw.ingest_ledger
WHERE records_read > 0
GROUP BY feed_id;
