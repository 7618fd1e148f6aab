-- Parquet rows -> records. Parameter: $path. A payload column may hold a
-- struct or JSON text; both become a JSON object.
CREATE OR REPLACE TEMP TABLE landing_parsed AS
WITH rows AS (
    SELECT
        file_row_number + 1 AS line_no,
        file_row_number AS batch_row,
        json_remove(to_json(t), '$.file_row_number')::VARCHAR AS original
    FROM read_parquet($path, file_row_number = true) AS t
)

SELECT
    $path AS source_file,
    line_no,
    batch_row,
    null::BIGINT AS line_bytes,
    original,
    null::BLOB AS original_bytes,
    CASE
        WHEN coalesce(json_type(original, '$.payload'), '') <> 'VARCHAR' THEN original
        WHEN json_valid(original ->> '$.payload') THEN
            json_merge_patch(original, json_object('payload', json(original ->> '$.payload')))::VARCHAR
    END AS rec,
    CASE
        WHEN json_type(original, '$.payload') = 'VARCHAR' AND NOT json_valid(original ->> '$.payload')
            THEN 'payload column is not valid JSON'
    END AS parse_error
FROM rows;

-- classify.sql reads landing_records, a view for every format (parse_ndjson.sql)
CREATE OR REPLACE TEMP VIEW landing_records AS SELECT * FROM landing_parsed;
