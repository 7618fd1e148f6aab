-- Events appended since the event-store suite last passed, in arrival order.
SELECT
    event_seq,
    org_id,
    event_id,
    source_line,
    ingested_at
FROM raw.events
WHERE event_seq > coalesce((
        SELECT validated_through FROM quality.watermarks
        WHERE check_name = $check_name
    ), 0)
ORDER BY event_seq;
