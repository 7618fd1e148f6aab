-- Append a resolved batch: stored events to raw.events (file by file, line
-- by line), quarantined records to raw.quarantine. Parameters: $run_id,
-- $now, $feed_org_id, $feed_id.
INSERT INTO raw.events (
    org_id, event_id, event_type, schema_version, occurred_at, actor_ref, payload,
    ingested_at, run_id, source_file, source_line, content_hash, source_sheet
)
SELECT
    org_id,
    event_id,
    event_type,
    schema_version,
    occurred_at,
    actor_ref,
    payload,
    $now,
    $run_id,
    source_file,
    line_no,
    content_hash,
    source_sheet
FROM landing_outcome
WHERE outcome = 'stored'
ORDER BY batch_row;

INSERT INTO raw.quarantine
SELECT
    $run_id,
    $now,
    $feed_org_id,
    source_file,
    line_no,
    reason,
    redact_emails(message),
    redact_emails(event_id),
    original,
    original_bytes,
    $feed_id,
    source_sheet
FROM landing_outcome
WHERE outcome = 'quarantined'
ORDER BY batch_row;
