-- What each of the given Dagster runs built: whether its build of the
-- models took every model and whether it finished.
SELECT
    run_id,
    bool_or(whole) AS whole,
    bool_and(finished_at IS NOT NULL) AS finished
FROM builds.model_builds
WHERE run_id IN (SELECT unnest($run_ids::VARCHAR[]))
GROUP BY run_id;
