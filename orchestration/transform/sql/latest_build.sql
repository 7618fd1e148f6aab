-- The latest build (finished or not), the bound its tables kept by touched
-- keys were updated from, and whether an ERROR check on the
-- models or what is cut from them failed since the latest whole build
-- began: a failure a later run did not re-run must keep blocking what it
-- blocked, so such a state is never taken as settled. (Checks on the store
-- and the landing are run by every run before its models.)
WITH latest AS (
    SELECT * FROM builds.model_builds
    ORDER BY started_at DESC, rowid DESC
    LIMIT 1
),

last_whole AS (
    SELECT max(started_at) AS started_at FROM builds.model_builds
    WHERE whole AND is_current
)

SELECT
    latest.run_id,
    latest.is_current,
    latest.max_event_seq,
    latest.events,
    latest.inputs_digest,
    latest.built_from,
    latest.catalogue_digest,
    EXISTS (
        SELECT 1 FROM quality.check_results AS c, last_whole AS w
        WHERE c.status = 'failed_error' AND c.checked_at >= w.started_at
            AND c.stage NOT IN ('landing', 'event_store')
    ) AS failed_since
FROM latest;
