-- CSV lines -> records, using the feed's column mapping.
-- Input: landing_lines(source_file, line_no, batch_row, raw BLOB), the lines
-- of one or more files with the same header. Parameters: $row_pattern (a
-- whole row of the header's width, its fields as the groups $row_groups,
-- then the end mark chr(1)), $field_pattern (one field followed by the
-- delimiter), $column_count, the 1-based column index of each envelope
-- field ($i_* , NULL when not mapped), $feed_org_id, $timezone (for naive
-- timestamps), $dst_resolution (how a naive time a daylight-saving change
-- skips or repeats is read: refuse, before_change, after_change),
-- $label_from / $label_to (event-type labels of the organisation's own
-- language).
--
-- occurred_at: a Z or an offset (+HH:MM, +HHMM, +HH) is honoured, so is an
-- IANA zone after the time; a naive time is in the feed's zone. A local time
-- is read with the zone's offset at noon the day before and the day after
-- (looked up once a day, not a row): when the two give one instant it is
-- that one; a time that neither reading gives
-- back does not exist (the clocks skip it), one that both give back happens
-- twice, and either is bad_timestamp (timestamp_error) unless
-- $dst_resolution picks a side.

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

-- the offset of a zone at an instant (both naive, the instant in UTC)
CREATE OR REPLACE TEMP MACRO utc_offset(zone, instant) AS timezone(zone, timezone('UTC', instant)) - instant;  -- noqa

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
,

time_parts AS (
    SELECT
        *,
        regexp_extract(
            occurred_at,
            '^([0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.][0-9]+)?)?) *'
            || '(?:([Zz])|([+-])([0-9]{2}):?([0-9]{2})?|([A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*))?$',
            ['body', 'utc', 'sign', 'offset_hours', 'offset_minutes', 'zone']
        ) AS tp
    FROM mapped
),

zoned AS (
    SELECT
        *,
        try_cast(upper(tp['body']) AS TIMESTAMP) AS local_ts,
        try_cast(try_cast(upper(tp['body']) AS TIMESTAMP) AS DATE) AS local_day,
        CASE
            WHEN tp['utc'] <> '' OR tp['sign'] <> '' THEN NULL
            WHEN tp['zone'] = '' THEN $timezone
            WHEN tp['zone'] IN (SELECT name FROM pg_timezone_names()) THEN tp['zone']
        END AS zone,
        try_cast(tp['offset_hours'] AS INTEGER) * 60
        + coalesce(try_cast(tp['offset_minutes'] AS INTEGER), 0) AS offset_minutes
    FROM time_parts
),

days AS (
    SELECT DISTINCT
        zone,
        local_day
    FROM zoned
    WHERE zone IS NOT NULL AND local_day IS NOT NULL
),

day_offsets AS (
    -- a zone's offset at noon the day before and the day after: equal, no change falls on the day
    SELECT
        zone,
        local_day,
        utc_offset(zone, local_day - INTERVAL 12 HOUR) AS offset_before,
        utc_offset(zone, local_day + INTERVAL 36 HOUR) AS offset_after
    FROM days
),

readings AS (
    SELECT
        zoned.*,
        zoned.local_ts - day_offsets.offset_before AS read_before,
        zoned.local_ts - day_offsets.offset_after AS read_after
    FROM zoned
    LEFT JOIN day_offsets ON zoned.zone = day_offsets.zone AND zoned.local_day = day_offsets.local_day
),

held AS (
    -- on the few days of a change only: which reading gives the local time back
    SELECT
        *,
        CASE WHEN read_before <> read_after THEN timezone(zone, timezone('UTC', read_before)) = local_ts
        END AS holds_before,
        CASE WHEN read_before <> read_after THEN timezone(zone, timezone('UTC', read_after)) = local_ts
        END AS holds_after
    FROM readings
),

timed AS (
    SELECT
        *,
        CASE
            WHEN local_ts IS NULL THEN NULL
            WHEN tp['utc'] <> '' THEN local_ts
            WHEN tp['sign'] <> ''
                THEN CASE
                        WHEN try_cast(tp['offset_hours'] AS INTEGER) <= 23
                            AND coalesce(try_cast(tp['offset_minutes'] AS INTEGER), 0) <= 59
                            THEN local_ts - to_minutes(
                                    CASE WHEN tp['sign'] = '-' THEN -offset_minutes ELSE offset_minutes END
                                )
                    END
            WHEN read_before = read_after THEN read_before
            WHEN holds_before AND NOT holds_after THEN read_before
            WHEN holds_after AND NOT holds_before THEN read_after
            -- skipped or repeated by a daylight-saving change
            WHEN $dst_resolution = 'before_change' THEN read_before
            WHEN $dst_resolution = 'after_change' THEN read_after
        END AS occurred_utc
    FROM held
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
                    -- a time that cannot be read stays as written: the validator refuses it (timestamp_error says why)
                    'occurred_at', coalesce(strftime(occurred_utc, '%Y-%m-%dT%H:%M:%S.%fZ'), occurred_at),
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
    END AS parse_error,
    CASE
        WHEN occurred_utc < TIMESTAMP '1900-01-01'
            THEN 'occurred_at ' || to_json(occurred_at) || ' is before 1900, the earliest year the contract holds'
        WHEN occurred_at IS NULL OR occurred_utc IS NOT NULL THEN NULL
        WHEN local_ts IS NULL
            THEN 'occurred_at ' || to_json(left(occurred_at, 100)) || ' is not a date and time (YYYY-MM-DD HH:MM[:SS], '
                || 'then Z, +HH:MM, +HHMM, +HH or an IANA time zone, or nothing for the feed''s zone)'
        WHEN tp['zone'] <> '' AND zone IS NULL
            THEN 'occurred_at ' || to_json(left(occurred_at, 100)) || ' names a time zone that does not exist'
        WHEN tp['sign'] <> '' THEN 'occurred_at ' || to_json(occurred_at) || ' has an offset beyond 23:59'
        WHEN holds_before
            THEN 'occurred_at ' || to_json(occurred_at) || ' happens twice in ' || zone
                || ' (the clocks go back over it); csv.dst_resolution (before_change, after_change) says which to read'
        ELSE 'occurred_at ' || to_json(occurred_at) || ' does not exist in ' || zone
            || ' (the clocks skip it); csv.dst_resolution (before_change, after_change) says how to read it'
    END AS timestamp_error,
    NULL::VARCHAR AS row_reason,
    NULL::VARCHAR AS row_message,
    NULL::VARCHAR AS source_sheet
FROM timed;

-- classify.sql reads landing_records, a view for every format (parse_ndjson.sql)
CREATE OR REPLACE TEMP VIEW landing_records AS SELECT * FROM landing_parsed;
