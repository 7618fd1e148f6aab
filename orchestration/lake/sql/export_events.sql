-- The events of one organisation ($org_id) appended after the last export
-- ($after_seq, exclusive) up to $through_seq, one row a stored event,
-- partitioned by the month it occurred in (UTC). Instants are UTC
-- timestamps (micros). One organisation at a time: the sort, and what the
-- writer holds, are an organisation's share of the export.
SELECT
    event_seq,
    event_id,
    event_type,
    schema_version,
    timezone('UTC', occurred_at) AS occurred_at,
    actor_ref,
    payload::VARCHAR AS payload,
    timezone('UTC', ingested_at) AS ingested_at,
    run_id,
    source_file,
    source_sheet,
    source_line,
    content_hash,
    org_id,
    strftime(occurred_at, '%Y-%m') AS month
FROM raw.events
WHERE org_id = $org_id AND event_seq > $after_seq AND event_seq <= $through_seq
ORDER BY org_id, month, event_seq
