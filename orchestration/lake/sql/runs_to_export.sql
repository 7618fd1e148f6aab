-- The runs that appended ledger rows, in the order they ran.
SELECT run_id
FROM raw.ingest_ledger
GROUP BY run_id
ORDER BY min(started_at), run_id
