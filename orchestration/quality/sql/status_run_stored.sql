-- What each of the given Dagster runs stored: the sum of its ingest ledger
-- rows (runs that stored nothing new write none).
SELECT
    run_id,
    sum(stored) AS stored
FROM raw.ingest_ledger
WHERE run_id IN (SELECT unnest($run_ids::VARCHAR[]))
GROUP BY run_id;
