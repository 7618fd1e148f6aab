-- NDJSON lines -> records. Input: landing_lines(source_file, line_no,
-- batch_row, raw BLOB), an Arrow table of record batches holding the new
-- lines of one or more files of the feed; batch_row orders them (file by
-- file, line by line). A view, not a table: classify and resolve
-- read the lines through it in the same statement, in parallel over the
-- record batches (a temp table is scanned a row group of 122,880 rows a
-- thread, so a smaller batch would run on one core).
CREATE OR REPLACE TEMP VIEW landing_records AS
WITH decoded AS (
    SELECT
        source_file,
        line_no,
        batch_row,
        raw,
        line_bytes,
        try(decode(raw)) AS text
    FROM landing_lines
)

SELECT
    source_file,
    line_no,
    batch_row,
    line_bytes,
    text AS original,
    CASE WHEN text IS NULL THEN raw END AS original_bytes,
    -- whether it is JSON, and valid, the validator says (validation.py): it reads the lines' bytes itself
    CASE WHEN line_bytes IS NULL THEN text END AS rec,
    CASE
        -- raw holds only the first bytes of a line over the feed's limit (reader.py)
        WHEN line_bytes IS NOT NULL THEN 'a line of ' || line_bytes || ' bytes, longer than the feed''s line limit'
        WHEN text IS NULL THEN 'not valid UTF-8'
    END AS parse_error,
    -- what the validator's bad_timestamp cannot say (parse_csv.sql); an NDJSON time is RFC 3339 as written
    NULL::VARCHAR AS timestamp_error,
    -- what a tabular mapping found wrong with a row (parse_tabular.sql), and where a workbook's row is
    NULL::VARCHAR AS row_reason,
    NULL::VARCHAR AS row_message,
    NULL::VARCHAR AS source_sheet
FROM decoded;
