-- Events appended since the event-store suite last passed, in arrival order.
SELECT
    event_seq, org_id, event_id, event_type || '/v' || schema_version AS type_version,
    occurred_at, ingested_at, content_hash, payload::VARCHAR AS payload, actor_ref
FROM raw.events
WHERE event_seq > coalesce((SELECT validated_through FROM quality.watermarks WHERE check_name = $check_name), 0)
ORDER BY event_seq;
