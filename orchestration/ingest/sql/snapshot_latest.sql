-- When the latest snapshot a feed applied was taken (UTC); NULL before the
-- first. Parameter: $feed_id.
SELECT max(snapshot_at) AS snapshot_at
FROM raw.snapshot_rows
WHERE feed_id = $feed_id;
