-- What this run's snapshots changed that no event says, per feed: keys that
-- disappeared and changes the register's rules ignore. Parameter: $run_id.
SELECT
    feed_id,
    count(*) FILTER (WHERE kind = 'disappeared') AS disappeared,
    count(*) FILTER (WHERE kind = 'ignored_change') AS ignored,
    list(note ORDER BY source_file, source_line)[1:5] AS sample
FROM raw.snapshot_notes
WHERE run_id = $run_id
GROUP BY feed_id
ORDER BY feed_id;
