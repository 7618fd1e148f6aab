-- The state a snapshot feed's earlier snapshots built, a row a key: its last
-- readable values, whether it was in the latest snapshot applied (else it
-- disappeared, or was never there) and every event id derived for it.
-- Parameter: $feed_id.
WITH applied AS (
    SELECT * FROM raw.snapshot_rows
    WHERE feed_id = $feed_id
),

latest AS (
    SELECT max(applied_seq) AS seq FROM applied
),

departed AS (
    -- the events derived for keys that disappeared (a member's member.left)
    SELECT
        key_hash,
        flatten(list(derived_event_ids)) AS derived_event_ids
    FROM raw.snapshot_notes
    WHERE feed_id = $feed_id
    GROUP BY key_hash
)

SELECT
    a.key_hash,
    arg_max(a.row_values::VARCHAR, a.applied_seq) FILTER (WHERE a.outcome <> 'quarantined') AS row_values,
    max(a.applied_seq) = (SELECT seq FROM latest) AS present,
    list_concat(flatten(list(a.derived_event_ids)), any_value(coalesce(d.derived_event_ids, []))) AS derived_event_ids
FROM applied AS a
LEFT JOIN departed AS d USING (key_hash)
GROUP BY a.key_hash;
