-- Envelope and payload validation over a whole batch: every record gets
-- either reason NULL (valid so far) or the first rule it breaks, in the order
-- of EVENTS.md section 4. Input: landing_records. Parameters: $feed_org_id,
-- $now (ingestion instant, UTC), $event_types, $type_versions
-- ('type/version' strings), $payload_paths, $payload_object_paths and the
-- parameters of the payload rules compiled from the JSON Schemas, spliced
-- in where the validated CTE names them.
CREATE OR REPLACE TEMP TABLE landing_checked AS
WITH envelope AS (
    SELECT
        *,
        json_type(rec) AS rec_type,
        json_keys(rec) AS rec_keys,
        json_type(rec, ['$.event_id', '$.org_id', '$.event_type', '$.schema_version',
                        '$.occurred_at', '$.actor_ref', '$.payload']) AS t,
        json_extract_string(rec, ['$.event_id', '$.org_id', '$.event_type', '$.schema_version',
                                  '$.occurred_at', '$.actor_ref', '$.payload']) AS v
    FROM landing_records
),
fields AS (
    SELECT
        line_no, original, original_bytes, parse_error, rec_type,
        list_filter(rec_keys, lambda k: NOT list_contains(
            ['event_id', 'org_id', 'event_type', 'schema_version', 'occurred_at', 'actor_ref', 'payload'], k
        )) AS unexpected_keys,
        list_filter(
            ['event_id', 'org_id', 'event_type', 'schema_version', 'occurred_at', 'payload'],
            lambda k, i: coalesce(t[[1, 2, 3, 4, 5, 7][i]], 'NULL') = 'NULL'
        ) AS missing_fields,
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
        CASE WHEN t[7] = 'OBJECT' THEN v[7] END AS payload
    FROM envelope
),
payload_extracted AS MATERIALIZED (
    SELECT
        *,
        json_type(payload, $payload_paths) AS payload_types,
        json_extract_string(payload, $payload_paths) AS payload_values,
        json_keys(payload, $payload_object_paths) AS payload_keys
    FROM fields
),
enveloped AS (
    SELECT
        *,
        CASE
            WHEN parse_error IS NOT NULL THEN 'malformed_record'
            WHEN rec_type IS DISTINCT FROM 'OBJECT' THEN 'malformed_record'
            WHEN len(unexpected_keys) > 0 THEN 'malformed_record'
            WHEN len(missing_fields) > 0 THEN 'missing_field'
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
    FROM payload_extracted
),
validated AS MATERIALIZED (
    -- materialised: the compiled payload rules are evaluated once per record
    SELECT
        *,
        CASE WHEN envelope_reason IS NULL THEN {{ payload_violation }} END AS payload_violation
    FROM enveloped
),
checked AS (
    SELECT
        *,
        coalesce(envelope_reason, CASE WHEN payload_violation IS NOT NULL THEN 'invalid_payload' END) AS reason
    FROM validated
)
SELECT
    line_no, original, original_bytes, event_id, org_id, event_type, schema_version,
    occurred_at, actor_ref, payload, reason,
    CASE reason
        WHEN 'malformed_record' THEN coalesce(
            parse_error,
            CASE WHEN rec_type IS DISTINCT FROM 'OBJECT' THEN 'not a JSON object' END,
            CASE WHEN len(unexpected_keys) > 0
                 THEN 'unexpected envelope field(s): ' || array_to_string(unexpected_keys, ', ') END,
            'actor_ref must be a string')
        WHEN 'missing_field' THEN 'missing field(s): ' || array_to_string(missing_fields, ', ')
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
        WHEN 'invalid_payload' THEN coalesce(payload_violation, 'payload must be a JSON object')
    END AS message
FROM checked;
