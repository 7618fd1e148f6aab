-- What names the append-only store's content: its highest event_seq and
-- its count (a row is never updated or deleted).
SELECT
    coalesce(max(event_seq), 0) AS max_event_seq,
    count(*) AS events
FROM raw.events;
