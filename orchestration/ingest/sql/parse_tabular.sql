-- The rows of a tabular or snapshot feed -> records. Input: landing_rows, an
-- Arrow table (ingest/tabular.py) whose envelope columns the sheet mapping
-- filled, with the payload as a struct. A record is written with no member
-- for an empty cell (json_merge_patch onto {} drops every null, at every
-- depth), so a blank optional cell is an absent field, as in an event log.
-- An id made from key columns is the sheet's prefix and a hash of the key
-- cells: a re-exported sheet re-delivers the same ids.
CREATE OR REPLACE TEMP TABLE landing_parsed AS
SELECT
    source_file,
    line_no,
    batch_row,
    null::BIGINT AS line_bytes,
    original,
    null::BLOB AS original_bytes,
    json_merge_patch('{}', to_json(struct_pack(
        event_id := coalesce(event_id, id_prefix || ':' || left(sha256(id_key), 24)),
        org_id := org_id,
        event_type := event_type,
        schema_version := schema_version,
        occurred_at := occurred_at,
        actor_ref := actor_ref,
        payload := coalesce(to_json(payload), '{}'::JSON)
    )))::VARCHAR AS rec,
    null::VARCHAR AS parse_error,
    null::VARCHAR AS timestamp_error,
    row_reason,
    row_message,
    source_sheet
FROM landing_rows;

-- classify.sql reads landing_records, a view for every format (parse_ndjson.sql)
CREATE OR REPLACE TEMP VIEW landing_records AS SELECT * FROM landing_parsed;
