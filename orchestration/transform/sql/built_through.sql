-- The store's highest event_seq as the latest build left it,
-- when that build finished, covered the store and ran this code and
-- registry: the tables kept by touched keys hold every event up to it. A
-- build that never finished may have left them half done, an as-of build
-- may have left them as known earlier: then 0, build them whole.
WITH previous AS (
    SELECT * FROM builds.model_builds
    ORDER BY started_at DESC, rowid DESC
    LIMIT 1
)

SELECT coalesce(max(max_event_seq), 0) AS built_through
FROM previous
WHERE finished_at IS NOT NULL AND covers_store AND inputs_digest = $inputs_digest;
