-- The validations of the most recent runs, newest first, for Data Docs.
WITH recent_runs AS (
    SELECT
        run_id,
        max(validated_at) AS run_at
    FROM quality.validation_results
    GROUP BY run_id
    ORDER BY run_at DESC
    LIMIT $runs
)

SELECT
    v.run_id,
    r.run_at,
    v.suite,
    v.batch,
    v.result_json,
    v.suite_json
FROM quality.validation_results AS v
INNER JOIN recent_runs AS r USING (run_id)
ORDER BY r.run_at DESC, v.suite ASC, v.batch ASC;
