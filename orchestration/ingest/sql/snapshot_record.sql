-- A snapshot's rows and notes, appended in the transaction of the events
-- they derived (landing_batch.py), so state and events never part. Inputs:
-- snapshot_rows_new, snapshot_notes_new (Arrow tables, snapshot_diff.py).
-- Parameters: $run_id, $feed_id.
INSERT INTO raw.snapshot_rows
SELECT
    $run_id,
    $feed_id,
    register,
    source_file,
    source_line,
    snapshot_at,
    key_hash,
    row_hash,
    row_values::JSON,
    outcome,
    derived_event_ids,
    (
        SELECT coalesce(max(applied_seq), 0) + 1 FROM raw.snapshot_rows
        WHERE feed_id = $feed_id
    )
FROM snapshot_rows_new;

INSERT INTO raw.snapshot_notes
SELECT
    $run_id,
    $feed_id,
    source_file,
    source_line,
    key_hash,
    kind,
    note,
    derived_event_ids
FROM snapshot_notes_new;
