-- Envelope and payload validation over a whole batch: every record gets
-- either reason NULL (valid so far) or the first rule it breaks, in the order
-- of EVENTS.md section 4. A query, spliced into resolve.sql as its
-- landing_checked CTE, so a batch is parsed, checked and resolved in one
-- statement instead of three, each writing a temp table. Input:
-- landing_records. Parameters: $feed_org_id, $now (ingestion instant, UTC),
-- $event_types, $type_versions ('type/version' strings) and those of the
-- payload rules compiled from the JSON Schemas, spliced in where the CTEs
-- name them.
WITH envelope AS (
    -- one parse of the record for the JSON types of the envelope fields, the
    -- payload's person_ref (pseudonymised in resolve) and a retraction's
    -- target, one for their values
    SELECT
        *,
        json_type(rec, ['$.event_id', '$.org_id', '$.event_type', '$.schema_version',
                        '$.occurred_at', '$.actor_ref', '$.payload',
                        '$.payload.person_ref', '$.payload.event_id']) AS t,
        json_extract_string(rec, ['$.event_id', '$.org_id', '$.event_type', '$.schema_version',
                                  '$.occurred_at', '$.actor_ref', '$.payload',
                                  '$.payload.person_ref', '$.payload.event_id']) AS v
    FROM landing_records
),
fields AS (
    SELECT
        source_file, line_no, batch_row, line_bytes, original, original_bytes, parse_error, rec,
        json_type(rec) AS rec_type,
        t, v,
        v[1] AS event_id,
        v[2] AS org_id,
        v[3] AS event_type,
        CASE WHEN t[4] IN ('BIGINT', 'UBIGINT') THEN TRY_CAST(v[4] AS INTEGER) END AS schema_version,
        v[5] AS occurred_at_text,
        CASE WHEN t[5] = 'VARCHAR'
              AND regexp_matches(v[5], '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$')
             THEN TRY_CAST(v[5] AS TIMESTAMPTZ) AT TIME ZONE 'UTC'
        END AS occurred_at,
        CASE WHEN t[6] = 'VARCHAR' THEN v[6] END AS actor_ref,
        CASE WHEN t[7] = 'OBJECT' THEN v[7] END AS payload,
        CASE WHEN t[8] = 'VARCHAR' THEN v[8] END AS person_ref,
        CASE WHEN t[9] = 'VARCHAR' THEN v[9] END AS retracted_event_id,
        CASE WHEN t[3] = 'VARCHAR' AND t[4] IN ('BIGINT', 'UBIGINT')
             THEN list_position($payload_branches, v[3] || '/' || TRY_CAST(v[4] AS INTEGER)) END AS payload_branch
    FROM envelope
),
enveloped AS (
    SELECT
        *,
        CASE
            WHEN parse_error IS NOT NULL THEN 'malformed_record'
            WHEN rec_type IS DISTINCT FROM 'OBJECT' THEN 'malformed_record'
            -- list_has_all decides; the lambda listing the unexpected keys runs only for the message
            WHEN NOT list_has_all(['event_id', 'org_id', 'event_type', 'schema_version', 'occurred_at',
                                   'actor_ref', 'payload'], json_keys(rec)) THEN 'malformed_record'
            WHEN coalesce(t[1], 'NULL') = 'NULL' OR coalesce(t[2], 'NULL') = 'NULL' OR coalesce(t[3], 'NULL') = 'NULL'
                 OR coalesce(t[4], 'NULL') = 'NULL' OR coalesce(t[5], 'NULL') = 'NULL'
                 OR coalesce(t[7], 'NULL') = 'NULL' THEN 'missing_field'
            WHEN t[1] <> 'VARCHAR' OR NOT regexp_matches(event_id, '^[A-Za-z0-9._:-]{1,128}$') THEN 'invalid_id'
            WHEN t[2] <> 'VARCHAR' THEN 'invalid_id'
            WHEN org_id <> $feed_org_id THEN 'org_mismatch'
            WHEN t[3] <> 'VARCHAR' OR NOT list_contains($event_types, event_type) THEN 'unknown_event_type'
            WHEN schema_version IS NULL OR schema_version < 1
                 OR NOT list_contains($type_versions, event_type || '/' || schema_version) THEN 'unknown_schema_version'
            WHEN occurred_at IS NULL OR occurred_at > $now + INTERVAL 1 DAY THEN 'bad_timestamp'
            WHEN t[6] NOT IN ('VARCHAR', 'NULL') THEN 'malformed_record'
            WHEN payload IS NULL THEN 'invalid_payload'
        END AS envelope_reason
    FROM fields
),
explained AS (
    -- the envelope fault in words, built only for the records that have one
    SELECT
        *,
        CASE envelope_reason
            WHEN 'malformed_record' THEN coalesce(
                parse_error,
                CASE WHEN rec_type IS DISTINCT FROM 'OBJECT' THEN 'not a JSON object' END,
                CASE WHEN NOT list_has_all(['event_id', 'org_id', 'event_type', 'schema_version', 'occurred_at',
                                            'actor_ref', 'payload'], json_keys(rec))
                     THEN 'unexpected envelope field(s): ' || array_to_string(list_filter(json_keys(rec),
                          lambda k: NOT list_contains(['event_id', 'org_id', 'event_type', 'schema_version',
                                                       'occurred_at', 'actor_ref', 'payload'], k)), ', ') END,
                'actor_ref must be a string')
            WHEN 'missing_field' THEN 'missing field(s): ' || array_to_string(list_filter(
                ['event_id', 'org_id', 'event_type', 'schema_version', 'occurred_at', 'payload'],
                lambda k, i: coalesce(t[[1, 2, 3, 4, 5, 7][i]], 'NULL') = 'NULL'), ', ')
            WHEN 'invalid_id' THEN CASE
                WHEN t[1] <> 'VARCHAR' THEN 'event_id must be a string'
                WHEN t[2] <> 'VARCHAR' THEN 'org_id must be a string'
                ELSE 'event_id ' || to_json(event_id) || ' is not 1-128 characters of [A-Za-z0-9._:-]' END
            WHEN 'org_mismatch' THEN 'org_id ' || to_json(org_id) || ' in the feed of ' || $feed_org_id
            WHEN 'unknown_event_type' THEN 'unknown event_type ' || coalesce(to_json(v[3]), 'null')
            WHEN 'unknown_schema_version' THEN 'schema_version ' || coalesce(v[4], 'null')
                || ' is not a registered version of ' || event_type
            WHEN 'bad_timestamp' THEN CASE
                WHEN t[5] <> 'VARCHAR' THEN 'occurred_at must be a string'
                WHEN occurred_at IS NULL THEN 'occurred_at ' || to_json(occurred_at_text)
                    || ' is not an RFC 3339 timestamp with offset'
                ELSE 'occurred_at ' || occurred_at_text || ' is more than 1 day after ingestion' END
            WHEN 'invalid_payload' THEN 'payload must be a JSON object'
        END AS envelope_message
    FROM enveloped
),
validated AS MATERIALIZED (
    -- materialised: the compiled payload rules are evaluated once per
    -- record; only the columns resolve needs are kept
    SELECT
        source_file, line_no, batch_row, original, original_bytes,
        -- a line over the limit is a bad record, not a sign that the file is of another format
        rec IS NULL AND line_bytes IS NULL AS unparsed, event_id, org_id,
        event_type, schema_version, occurred_at, actor_ref, payload, person_ref, retracted_event_id,
        envelope_reason, envelope_message,
        CASE WHEN envelope_reason IS NULL THEN {{ payload_violation }} END AS payload_violation
    FROM (
        -- the paths of the record's own (type, version), extracted only for
        -- records whose envelope is valid
        SELECT
            *,
            CASE WHEN envelope_reason IS NULL THEN {{ payload_types }} END AS payload_types,
            CASE WHEN envelope_reason IS NULL THEN {{ payload_values }} END AS payload_values,
            CASE WHEN envelope_reason IS NULL THEN {{ payload_keys }} END AS payload_keys
        FROM explained
    )
)
SELECT
    source_file, line_no, batch_row, original, original_bytes, unparsed, event_id, org_id, event_type,
    schema_version, occurred_at, actor_ref, payload, person_ref, retracted_event_id,
    coalesce(envelope_reason, CASE WHEN payload_violation IS NOT NULL THEN 'invalid_payload' END) AS reason,
    coalesce(envelope_message, payload_violation) AS message
FROM validated
