-- What each of the given Dagster runs stored (its ingest ledger rows), on a
-- warehouse whose models were never built: NULL where it stored nothing.
WITH runs AS (
    SELECT unnest($run_ids::VARCHAR[]) AS run_id
),

ledger AS (
    SELECT
        run_id,
        sum(stored) AS stored
    FROM raw.ingest_ledger
    GROUP BY run_id
)

SELECT
    runs.run_id,
    ledger.stored,
    NULL::BOOLEAN AS whole,
    NULL::BOOLEAN AS finished
FROM runs
LEFT JOIN ledger ON runs.run_id = ledger.run_id;
