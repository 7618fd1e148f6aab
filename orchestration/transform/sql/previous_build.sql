-- The latest finished build before the one under way: what it stood for.
SELECT
    is_current,
    coalesce(covers_store, FALSE) AS covers_store,
    max_event_seq,
    events,
    inputs_digest,
    catalogue_digest
FROM builds.model_builds
WHERE finished_at IS NOT NULL
ORDER BY started_at DESC, rowid DESC
LIMIT 1;
