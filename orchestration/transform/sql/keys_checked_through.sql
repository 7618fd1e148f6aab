-- The store as the latest current build whose code and registry were these
-- left it: every row it held had passed the key tests, and a build at the
-- clock held every event up to its highest event_seq.
WITH latest_current AS (
    SELECT
        max_event_seq,
        inputs_digest
    FROM builds.model_builds
    WHERE finished_at IS NOT NULL AND is_current
    ORDER BY started_at DESC, rowid DESC
    LIMIT 1
)

SELECT coalesce(max(max_event_seq), 0) AS checked_through
FROM latest_current
WHERE inputs_digest = $inputs_digest;
