-- Keep the GX results of the most recent $keep_runs runs only: about 270 kB
-- a run on the bundled sample (38 validations). quality.check_results, the
-- history analysts query, is never pruned.
DELETE FROM quality.validation_results
WHERE run_id IN (
        SELECT run_id
        FROM quality.validation_results
        GROUP BY run_id
        ORDER BY max(validated_at) DESC
        OFFSET $keep_runs
    );
