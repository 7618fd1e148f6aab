UPDATE builds.model_builds
SET
    finished_at = now()::TIMESTAMP,
    max_event_seq = $max_event_seq,
    events = $events,
    inputs_digest = $inputs_digest,
    catalogue_digest = $catalogue_digest,
    is_current = $is_current,
    covers_store = $covers_store
WHERE run_id = $run_id AND finished_at IS NULL;
