-- A conflicting duplicate's message says where the record is (a workbook's
-- sheet and row), where the stored version came from and the first field
-- in which the two differ, so a person can see what was edited. Runs after
-- resolve.sql, on its landing_outcome. Parameter: $feed_org_id.
UPDATE landing_outcome AS o
SET
    message = coalesce('sheet ' || o.source_sheet || ', row ' || o.line_no || ': ', '') || o.message
    || coalesce(
        ' (stored from ' || d.stored_file || coalesce(', sheet ' || d.stored_sheet, '')
        || ', line ' || d.stored_line || ')', ''
    )
    || coalesce('; first difference: ' || d.first_difference, '')
FROM (
    WITH conflicting AS (
        SELECT * FROM landing_outcome
        WHERE reason = 'conflicting_duplicate'
    ),

    stored AS (
        SELECT * FROM raw.events
        WHERE org_id = $feed_org_id AND event_id IN (SELECT event_id FROM conflicting)
    )

    SELECT
        c.batch_row,
        e.source_file AS stored_file,
        e.source_sheet AS stored_sheet,
        e.source_line AS stored_line,
        CASE
            WHEN e.event_id IS NULL THEN NULL
            WHEN c.event_type <> e.event_type THEN 'event_type'
            WHEN c.schema_version <> e.schema_version THEN 'schema_version'
            WHEN c.occurred_at <> e.occurred_at THEN 'occurred_at'
            WHEN coalesce(c.actor_ref, '') <> coalesce(e.actor_ref, '') THEN 'actor_ref'
            ELSE 'payload.' || first_differing_member(c.payload, e.payload)
        END AS first_difference
    FROM conflicting AS c
    LEFT JOIN stored AS e ON c.event_id = e.event_id
) AS d
WHERE o.batch_row = d.batch_row;
