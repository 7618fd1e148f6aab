-- Every record of a batch gets reason NULL (valid) or the first rule it
-- breaks, in the order of docs/events.md section 4. The JSON Schema rules were
-- decided by the compiled validator (validation.py): landing_failures holds
-- its failing rows with their reason, stage and message. Here, over the
-- whole batch, the rules JSON Schema cannot express: org_mismatch (after
-- the envelope's shape, stage 1), an impossible date or one more than a day
-- after ingestion (after the type, version and timestamp shape, stage 2).
-- Valid records are read typed once: the validator proved them exact, so
-- the typed reader's coercions cannot alter them. A query, spliced into
-- resolve.sql as its landing_checked CTE. Inputs: landing_records,
-- landing_failures. Parameters: $feed_org_id, $now (ingestion instant, UTC),
-- $envelope_structure.
WITH judged AS (
    SELECT
        r.source_file,
        r.line_no,
        r.batch_row,
        r.line_bytes,
        r.original,
        r.original_bytes,
        r.parse_error,
        r.timestamp_error,
        r.row_reason,
        r.row_message,
        r.source_sheet,
        r.rec,
        f.reason AS schema_reason,
        f.stage AS schema_stage,
        f.message AS schema_message
    FROM landing_records AS r
    LEFT JOIN landing_failures AS f USING (batch_row)
),

typed AS (
    SELECT
        *,
        -- $envelope_structure: every envelope field with its type, from _envelope.json (landing_batch.py)
        CASE WHEN parse_error IS NULL AND schema_reason IS NULL THEN json_transform(rec, $envelope_structure)
        END AS valid,
        -- a failing record's envelope, read only for messages, the org check and the quarantine row
        CASE WHEN schema_stage >= 1 THEN json_extract_string(rec, ['$.event_id', '$.org_id', '$.occurred_at'])
        END AS failing
    FROM judged
),

fields AS (
    SELECT
        typed.source_file,
        typed.line_no,
        typed.batch_row,
        typed.original,
        typed.original_bytes,
        typed.parse_error,
        typed.timestamp_error,
        typed.row_reason,
        typed.row_message,
        typed.source_sheet,
        typed.schema_reason,
        typed.schema_stage,
        typed.schema_message,
        -- not a record at all: what tells a bad record from a file of another format
        (typed.rec IS NULL AND typed.line_bytes IS NULL) OR typed.schema_stage = 0 AS unparsed,
        coalesce(valid.event_id, typed.failing[1]) AS event_id,
        coalesce(valid.org_id, typed.failing[2]) AS org_id,
        valid.event_type,
        valid.schema_version,
        coalesce(valid.occurred_at, typed.failing[3]) AS occurred_at_text,
        CASE WHEN typed.parse_error IS NULL AND coalesce(typed.schema_stage, 3) >= 3
                -- RFC 3339 lets T and Z be written in lower case; DuckDB reads them in upper case only
                THEN try_cast(upper(coalesce(valid.occurred_at, typed.failing[3])) AS TIMESTAMPTZ) AT TIME ZONE 'UTC'
        END AS occurred_at,
        valid.actor_ref,
        valid.payload,
        valid.payload ->> '$.person_ref' AS person_ref,
        CASE WHEN valid.event_type = 'event.retracted' THEN valid.payload ->> '$.event_id' END AS retracted_event_id
    FROM typed
),

classified AS (
    SELECT
        *,
        CASE
            WHEN parse_error IS NOT NULL THEN 'malformed_record'
            WHEN row_reason IS NOT NULL THEN row_reason
            WHEN schema_stage <= 1 THEN schema_reason
            WHEN org_id <> $feed_org_id THEN 'org_mismatch'
            WHEN schema_stage = 2 THEN schema_reason
            WHEN occurred_at IS NULL OR occurred_at > $now + INTERVAL 1 DAY THEN 'bad_timestamp'
            ELSE schema_reason
        END AS reason
    FROM fields
)

SELECT
    source_file,
    source_sheet,
    line_no,
    batch_row,
    original,
    original_bytes,
    unparsed,
    event_id,
    org_id,
    event_type,
    schema_version,
    occurred_at,
    actor_ref,
    payload,
    person_ref,
    retracted_event_id,
    reason,
    CASE
        WHEN parse_error IS NOT NULL THEN parse_error
        WHEN row_reason IS NOT NULL THEN row_message
        WHEN reason = 'bad_timestamp' AND timestamp_error IS NOT NULL THEN timestamp_error
        WHEN reason = 'org_mismatch' THEN 'org_id ' || to_json(left(org_id, 200)) || ' in the feed of ' || $feed_org_id
        WHEN reason = 'bad_timestamp' AND coalesce(
                schema_reason, ''
            ) <> 'bad_timestamp'
            THEN CASE
                    WHEN occurred_at IS NULL
                        THEN 'occurred_at ' || to_json(occurred_at_text)
                            || ' is not an RFC 3339 timestamp with offset (no such day in the calendar)'
                    ELSE 'occurred_at ' || occurred_at_text || ' is more than 1 day after ingestion'
                END
        ELSE schema_message
    END AS message
FROM classified
