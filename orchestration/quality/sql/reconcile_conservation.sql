-- Conservation per run and for the whole store: records read = stored +
-- duplicates + quarantined, and the ledger agrees with the tables.
WITH per_run AS (
    SELECT
        run_id,
        sum(records_read) AS read,
        sum(stored + duplicates + quarantined) AS accounted
    FROM raw.ingest_ledger
    GROUP BY run_id
)

SELECT
    (
        SELECT count(*) FROM per_run
        WHERE read <> accounted
    ) AS runs_not_conserved,
    (SELECT coalesce(sum(stored), 0) FROM raw.ingest_ledger)
    - (
        SELECT count(*) FROM raw.events
        WHERE run_id IN (SELECT run_id FROM raw.ingest_ledger))
        AS stored_mismatch,
    (SELECT coalesce(sum(quarantined), 0) FROM raw.ingest_ledger)
    - (
        SELECT count(*) FROM raw.quarantine
        WHERE source_line IS NOT NULL)
        AS quarantined_mismatch,
    (
        SELECT string_agg(off_runs.run_id, ', ' ORDER BY off_runs.run_id)
        FROM (
            SELECT run_id FROM per_run
            WHERE read <> accounted
            ORDER BY run_id LIMIT 5
        ) AS off_runs
    ) AS sample;
