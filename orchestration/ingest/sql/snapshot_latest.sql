-- The latest snapshot a feed applied: its time (UTC) and its place in the
-- order of application. Parameter: $feed_id.
SELECT
    max(snapshot_at) AS snapshot_at,
    coalesce(max(applied_seq), 0) AS applied_seq
FROM raw.snapshot_rows
WHERE feed_id = $feed_id;
