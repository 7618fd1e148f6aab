-- The bound the latest build of the models kept its touched-keys tables
-- from (0: built whole), and the store's highest event_seq it ended on.
SELECT
    built_from,
    max_event_seq
FROM quality.model_builds
ORDER BY started_at DESC, rowid DESC
LIMIT 1;
