-- NDJSON lines -> records. Input: landing_lines(line_no, raw BLOB).
CREATE OR REPLACE TEMP TABLE landing_records AS
WITH decoded AS (
    SELECT line_no, raw, try(decode(raw)) AS text
    FROM landing_lines
)
SELECT
    line_no,
    text AS original,
    CASE WHEN text IS NULL THEN raw END AS original_bytes,
    CASE WHEN json_valid(text) THEN text END AS rec,
    CASE
        WHEN text IS NULL THEN 'not valid UTF-8'
        WHEN NOT json_valid(text) THEN 'not valid JSON'
    END AS parse_error
FROM decoded;
