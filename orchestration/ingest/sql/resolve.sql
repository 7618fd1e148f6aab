-- Decide every record's outcome: stored, duplicate or quarantined.
-- Pseudonymises people, hashes content, finds duplicates (against the store
-- and earlier records of the batch, which may span several files of the
-- feed, ordered by batch_row; the first stored version wins) and checks
-- retractions. Input: landing_checked, the query of classify.sql spliced
-- in. Parameter: $feed_org_id (and those of classify.sql).
CREATE OR REPLACE TEMP TABLE landing_outcome AS
WITH landing_checked AS (
    {{ landing_checked }}
),

pseudonymised AS (
    SELECT
        * REPLACE (
            pseudonym(actor_ref) AS actor_ref,
            CASE WHEN reason IS NULL AND regexp_matches(person_ref, at_sign_forms())
                    THEN json_merge_patch(payload, json_object('person_ref', pseudonym(person_ref)))::VARCHAR
                ELSE payload
            END AS payload
        )
    FROM landing_checked
),

hashed AS MATERIALIZED (
    -- materialised: read by the main path and by repeated_in_batch; inlined
    -- twice, every record was hashed twice. The payload text is already
    -- minified JSON (json_extract_string and json_merge_patch both write it
    -- so): json(payload) gave the same text for all 232,509 stored records of
    -- a bench batch, so hashes match those of stores written before.
    SELECT
        *,
        CASE WHEN reason IS NULL THEN sha256(concat_ws(
                    '|',
                    event_type, schema_version, strftime(occurred_at, '%Y-%m-%dT%H:%M:%S.%f'),
                    coalesce(actor_ref, ''), payload
                ))
        END AS content_hash
    FROM pseudonymised
),

retracted_in_batch AS (
    SELECT retracted_event_id FROM hashed
    WHERE reason IS NULL AND event_type = 'event.retracted' AND retracted_event_id IS NOT NULL
),

batch_keys AS (
    -- every key the batch can collide with or retract: the store is probed
    -- for these alone, so what a batch costs in memory and time does not
    -- grow with the store (a join built on the store's side holds every
    -- event id of it)
    SELECT event_id FROM hashed
    WHERE reason IS NULL
    UNION
    SELECT retracted_event_id FROM retracted_in_batch
),

own_store AS (
    -- only the feed's own events can collide with a record that passed the
    -- org check; the store is appended file by file, so its row groups are
    -- mostly one organisation's and the zone maps skip the others'
    SELECT
        org_id,
        event_id,
        event_type,
        content_hash
    FROM raw.events
    WHERE org_id = $feed_org_id AND event_id IN (SELECT event_id FROM batch_keys)
),

retracted_elsewhere AS (
    -- targets stored only as another organisation's event (for the message)
    SELECT DISTINCT event_id FROM raw.events
    WHERE org_id <> $feed_org_id AND event_id IN (SELECT retracted_event_id FROM retracted_in_batch)
),

repeated_in_batch AS (
    -- keys delivered more than once in this batch (rare), with the line and
    -- hash of their first delivery: an aggregate, since a window over every
    -- record would sort the whole batch
    SELECT
        event_id,
        min(batch_row) AS first_row_in_batch,
        arg_min(content_hash, batch_row) AS first_hash_in_batch,
        arg_min(line_no, batch_row) AS first_line_in_batch,
        arg_min(source_file, batch_row) AS first_file_in_batch
    FROM hashed
    WHERE reason IS NULL
    GROUP BY event_id
    HAVING count(*) > 1
),

batch_ranked AS (
    SELECT
        h.*,
        r.first_row_in_batch IS NOT NULL AND h.batch_row > r.first_row_in_batch AS repeats_earlier_line,
        r.first_hash_in_batch,
        r.first_line_in_batch,
        r.first_file_in_batch,
        e.content_hash AS stored_hash
    FROM hashed AS h
    LEFT JOIN repeated_in_batch AS r
        ON h.reason IS NULL AND h.event_id = r.event_id
    LEFT JOIN own_store AS e
        ON h.reason IS NULL AND h.org_id = e.org_id AND h.event_id = e.event_id
),

deduplicated AS (
    SELECT
        * REPLACE (
            CASE
                WHEN reason IS NOT NULL THEN reason
                WHEN coalesce(stored_hash, first_hash_in_batch, content_hash) <> content_hash
                    THEN 'conflicting_duplicate'
            END AS reason
        ),
        reason IS NULL AND coalesce(stored_hash, first_hash_in_batch) = content_hash
        AND (stored_hash IS NOT NULL OR repeats_earlier_line) AS is_duplicate,
        CASE WHEN reason IS NULL AND coalesce(stored_hash, first_hash_in_batch, content_hash) <> content_hash THEN
                'event_id ' || event_id || ' was stored before with different content'
                || CASE
                    WHEN stored_hash IS NOT NULL THEN ''
                    WHEN first_file_in_batch = source_file THEN ' (line ' || first_line_in_batch || ' of this file)'
                    ELSE ' (line ' || first_line_in_batch || ' of ' || first_file_in_batch || ')'
                END
        END AS duplicate_message
    FROM batch_ranked
),

to_store AS (
    SELECT * FROM deduplicated
    WHERE reason IS NULL AND NOT is_duplicate
),

retraction_targets AS (
    SELECT
        r.batch_row,
        coalesce(own_stored.event_type, own_batch.event_type) AS target_type,
        own_stored.event_id IS NULL AND own_batch.event_id IS NULL AS target_missing,
        elsewhere.event_id IS NOT NULL AS target_elsewhere
    FROM to_store AS r
    LEFT JOIN own_store AS own_stored
        ON r.org_id = own_stored.org_id AND r.retracted_event_id = own_stored.event_id
    LEFT JOIN to_store AS own_batch
        ON r.retracted_event_id = own_batch.event_id AND r.batch_row > own_batch.batch_row
    LEFT JOIN retracted_elsewhere AS elsewhere
        ON r.retracted_event_id = elsewhere.event_id
    WHERE r.event_type = 'event.retracted'
),

decided AS (
    SELECT
        d.source_file,
        d.source_sheet,
        d.line_no,
        d.batch_row,
        d.original,
        d.original_bytes,
        d.unparsed,
        d.event_id,
        d.org_id,
        d.event_type,
        d.schema_version,
        d.occurred_at,
        d.actor_ref,
        d.payload,
        d.content_hash,
        CASE
            WHEN d.is_duplicate THEN 'duplicate'
            WHEN d.reason IS NOT NULL OR rt.target_missing OR rt.target_type = 'event.retracted' THEN 'quarantined'
            ELSE 'stored'
        END AS outcome,
        CASE
            WHEN d.reason IS NOT NULL THEN d.reason
            WHEN rt.target_missing OR rt.target_type = 'event.retracted' THEN 'retraction_invalid'
        END AS reason,
        CASE
            WHEN d.reason = 'conflicting_duplicate' THEN d.duplicate_message
            WHEN d.reason IS NOT NULL THEN d.message
            WHEN rt.target_missing AND rt.target_elsewhere
                THEN
                    'retracts ' || d.retracted_event_id || ', an event of another organisation'
            WHEN rt.target_missing
                THEN
                    'retracts ' || d.retracted_event_id || ', which is not an earlier event of ' || d.org_id
            WHEN rt.target_type = 'event.retracted'
                THEN
                    'retracts ' || d.retracted_event_id || ', itself a retraction'
            WHEN d.is_duplicate THEN 'identical re-delivery of ' || d.event_id
        END AS message
    FROM deduplicated AS d
    LEFT JOIN retraction_targets AS rt USING (batch_row)
)

SELECT
    -- the original of a quarantined record is kept, redacted here so that no
    -- address is ever written (not even to this temporary table); stored
    -- records need none (reject_batch.sql reads theirs again from the lines)
    * REPLACE (
        CASE WHEN outcome = 'quarantined' THEN redact_emails(original) END AS original,
        CASE WHEN outcome = 'quarantined' THEN redact_email_bytes(original_bytes) END AS original_bytes
    ),
    original IS NULL AS undecodable
FROM decided;
