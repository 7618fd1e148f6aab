-- Parquet rows -> records. Parameter: $path, a file with a payload column
-- (feed_files.py checks the envelope's required columns from the file's
-- footer before it is queued). The payload column may hold a struct or
-- JSON text; in the record both are a JSON object. Each record is written
-- from the row's columns as they are (struct_pack of every column), with
-- no JSON parsed but the payload text. The helper columns end in `__`, so
-- as not to meet a delivered column's name.
CREATE OR REPLACE TEMP TABLE landing_parsed AS
WITH source_rows AS (
    SELECT * FROM read_parquet($path, file_row_number = true)
),

payloads AS (
    SELECT
        *,
        typeof(payload) = 'VARCHAR' AND NOT json_valid(payload::VARCHAR) AS payload_not_json__,
        -- JSON text in the payload column becomes the object it spells
        CASE
            WHEN typeof(payload) <> 'VARCHAR' THEN to_json(payload)
            WHEN json_valid(payload::VARCHAR) THEN json(payload::VARCHAR)
        END AS payload_object__
    FROM source_rows
),

records AS (
    SELECT
        file_row_number,
        payload_not_json__,
        -- the row as delivered
        to_json(struct_pack(*COLUMNS(* EXCLUDE (file_row_number, payload_not_json__, payload_object__))))::VARCHAR
            AS original,
        -- the record the validator reads
        to_json(struct_pack(*COLUMNS(
            * EXCLUDE (file_row_number, payload_not_json__, payload_object__) REPLACE (payload_object__ AS payload)
        )))::VARCHAR AS rec
    FROM payloads
)

SELECT
    $path AS source_file,
    file_row_number + 1 AS line_no,
    file_row_number AS batch_row,
    null::BIGINT AS line_bytes,
    original,
    null::BLOB AS original_bytes,
    CASE WHEN NOT payload_not_json__ THEN rec END AS rec,
    CASE WHEN payload_not_json__ THEN 'payload column is not valid JSON' END AS parse_error,
    null::VARCHAR AS timestamp_error,
    null::VARCHAR AS row_reason,
    null::VARCHAR AS row_message,
    null::VARCHAR AS source_sheet
FROM records;

-- classify.sql reads landing_records, a view for every format (parse_ndjson.sql)
CREATE OR REPLACE TEMP VIEW landing_records AS SELECT * FROM landing_parsed;
