-- CSV lines -> records, using the feed's column mapping.
-- Input: landing_lines(source_file, line_no, batch_row, raw BLOB), the lines
-- of one or more files with the same header. Parameters: $field_pattern (one
-- field followed by the delimiter), $column_count, the 1-based column index
-- of each envelope field ($i_* , NULL when not mapped), $feed_org_id,
-- $timezone (for naive timestamps), $label_from / $label_to (event-type
-- labels of the organisation's own language).
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

split AS (
    SELECT
        *,
        regexp_extract_all(text || $delimiter, $field_pattern, 1) AS quoted_fields
    FROM decoded
),

fields AS (
    SELECT
        *,
        -- a line parses when its fields, re-joined, give back the whole line
        length(array_to_string(quoted_fields, $delimiter)) = length(text) AS well_formed,
        list_transform(quoted_fields, LAMBDA f: nullif(
            CASE WHEN starts_with(trim(f), '"') THEN replace(trim(f)[2:-2], '""', '"') ELSE trim(f) END, ''
        )) AS f
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
        len(f) AS field_count,
        f[$i_event_id] AS event_id,
        coalesce(f[$i_org_id], $feed_org_id) AS org_id,
        coalesce($label_to[list_position($label_from, f[$i_event_type])], f[$i_event_type]) AS event_type,
        f[$i_schema_version] AS schema_version,
        f[$i_occurred_at] AS occurred_at,
        f[$i_actor_ref] AS actor_ref,
        f[$i_payload] AS payload
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
