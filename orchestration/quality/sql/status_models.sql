-- The latest build of the intermediate models and marts
-- (transform/builds.py), and how many events the store holds now.
SELECT
    b.run_id,
    b.finished_at,
    b.whole,
    b.max_event_seq,
    b.events,
    b.is_current,
    coalesce(b.covers_store, FALSE) AS covers_store,
    (SELECT count(*) FROM raw.events) AS events_now
FROM builds.model_builds AS b
ORDER BY b.started_at DESC, b.rowid DESC
LIMIT 1;
