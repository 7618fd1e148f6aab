-- CSV lines -> records, using the feed's column mapping.
-- Input: landing_lines(source_file, line_no, batch_row, raw BLOB), the lines
-- of one or more files with the same header. Parameters: $row_pattern (a
-- whole row of the header's width, its fields as the groups $row_groups,
-- then the end mark chr(1)), $field_pattern (one field followed by the
-- delimiter), $column_count, the 1-based column index of each envelope
-- field ($i_* , NULL when not mapped), $feed_org_id, $timezone (for naive
-- timestamps), $label_from / $label_to (event-type labels of the
-- organisation's own language).

-- A field as written -> its value: blanks around it and its quotes dropped,
-- doubled quotes undone; an empty field is NULL.
CREATE OR REPLACE TEMP MACRO csv_value(f) AS nullif(  -- noqa: CP05
    CASE WHEN starts_with(trim(f), '"') THEN replace(trim(f)[2:-2], '""', '"') ELSE trim(f) END, ''
);

-- Field i of a line: from the one-pass split when the line is a row of the
-- header's width, else from the split field by field.
CREATE OR REPLACE TEMP MACRO csv_field(row_fields, quoted_fields, i) AS csv_value(  -- noqa: CP05
    CASE WHEN row_fields['row_end'] = '' THEN quoted_fields[i] ELSE struct_extract_at(row_fields, i) END
);

CREATE OR REPLACE TEMP TABLE landing_parsed AS
WITH decoded AS (
    SELECT
        source_file,
        line_no,
        batch_row,
        raw,
        line_bytes,
        try(decode(raw)) AS text
    FROM landing_lines
),

rows_matched AS (
    -- a row of the header's width in one pass: its fields by position, and
    -- the end mark only when the whole line matched
    SELECT
        *,
        regexp_extract(text || chr(1), $row_pattern, $row_groups) AS row_fields
    FROM decoded
),

split AS (
    -- the lines that are not such a row, field by field: how many fields
    -- they have, and whether they parse at all, for the message
    SELECT
        *,
        row_fields['row_end'] = '' AS off_width,
        CASE WHEN row_fields['row_end'] = '' THEN regexp_extract_all(text || $delimiter, $field_pattern, 1)
        END AS quoted_fields
    FROM rows_matched
),

fields AS (
    SELECT
        *,
        -- a line parses when its fields, re-joined, give back the whole line
        NOT off_width OR length(array_to_string(quoted_fields, $delimiter)) = length(text) AS well_formed,
        CASE WHEN off_width THEN len(quoted_fields) ELSE $column_count END AS field_count
    FROM split
),

mapped AS (
    SELECT
        source_file,
        line_no,
        batch_row,
        raw,
        line_bytes,
        text,
        well_formed,
        field_count,
        csv_field(row_fields, quoted_fields, $i_event_id) AS event_id,
        coalesce(csv_field(row_fields, quoted_fields, $i_org_id), $feed_org_id) AS org_id,
        coalesce(
            $label_to[list_position($label_from, csv_field(row_fields, quoted_fields, $i_event_type))],
            csv_field(row_fields, quoted_fields, $i_event_type)
        ) AS event_type,
        csv_field(row_fields, quoted_fields, $i_schema_version) AS schema_version,
        csv_field(row_fields, quoted_fields, $i_occurred_at) AS occurred_at,
        csv_field(row_fields, quoted_fields, $i_actor_ref) AS actor_ref,
        csv_field(row_fields, quoted_fields, $i_payload) AS payload
    FROM fields
)

SELECT
    source_file,
    line_no,
    batch_row,
    line_bytes,
    text AS original,
    CASE WHEN text IS NULL THEN raw END AS original_bytes,
    CASE WHEN
            line_bytes IS NULL
            AND text IS NOT NULL
            AND well_formed
            AND field_count = $column_count
            AND json_valid(payload)
            THEN
                json_object(
                    'event_id', event_id,
                    'org_id', org_id,
                    'event_type', event_type,
                    'schema_version', coalesce(try_cast(schema_version AS INTEGER)::JSON, to_json(schema_version)),
                    'occurred_at', CASE
                        WHEN regexp_matches(occurred_at, '([Zz]|[+-][0-9]{2}:[0-9]{2})$') THEN occurred_at
                        ELSE coalesce(
                                strftime(
                                    (try_cast(occurred_at AS TIMESTAMP) AT TIME ZONE $timezone) AT TIME ZONE 'UTC',
                                    '%Y-%m-%dT%H:%M:%S.%fZ'
                                ),
                                occurred_at
                            )
                    END,
                    'actor_ref', actor_ref,
                    'payload', json(payload)
                )::VARCHAR
    END AS rec,
    CASE
        -- raw holds only the first bytes of a line over the feed's limit (reader.py)
        WHEN line_bytes IS NOT NULL THEN 'a line of ' || line_bytes || ' bytes, longer than the feed''s line limit'
        WHEN text IS NULL THEN 'not valid UTF-8'
        WHEN NOT well_formed THEN 'not a well-formed CSV row (unbalanced quotes)'
        WHEN field_count <> $column_count
            THEN
                'has ' || field_count || ' fields, the header has ' || $column_count
        WHEN payload IS NULL THEN 'payload column is empty'
        WHEN NOT json_valid(payload) THEN 'payload column is not valid JSON'
    END AS parse_error
FROM mapped;

-- classify.sql reads landing_records, a view for every format (parse_ndjson.sql)
CREATE OR REPLACE TEMP VIEW landing_records AS SELECT * FROM landing_parsed;
