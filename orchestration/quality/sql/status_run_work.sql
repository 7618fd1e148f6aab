-- What each of the given Dagster runs stored (its ingest ledger rows) and
-- built (its entry in the build bookkeeping): NULL where it did neither.
WITH runs AS (
    SELECT unnest($run_ids::VARCHAR[]) AS run_id
),

ledger AS (
    SELECT
        run_id,
        sum(stored) AS stored
    FROM raw.ingest_ledger
    GROUP BY run_id
),

models AS (
    SELECT
        run_id,
        bool_or(whole) AS whole,
        bool_and(finished_at IS NOT NULL) AS finished
    FROM builds.model_builds
    GROUP BY run_id
)

SELECT
    runs.run_id,
    ledger.stored,
    models.whole,
    models.finished
FROM runs
LEFT JOIN ledger ON runs.run_id = ledger.run_id
LEFT JOIN models ON runs.run_id = models.run_id;
