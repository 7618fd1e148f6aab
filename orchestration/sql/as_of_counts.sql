-- What an as-of watermark leaves to count: the first ingestion instant of
-- the store, and the events ingested by $as_of that are neither retractions
-- nor retracted by a retraction ingested by then.
WITH known AS (
    SELECT
        org_id,
        event_id,
        event_type,
        payload ->> '$.event_id' AS target
    FROM raw.events
    WHERE ingested_at <= $as_of
)

SELECT
    (SELECT min(ingested_at) FROM raw.events) AS first_ingested_at,
    (
        SELECT count(*) FROM known AS k
        WHERE k.event_type <> 'event.retracted'
            AND NOT EXISTS (
                SELECT 1 FROM known AS r
                WHERE r.event_type = 'event.retracted'
                    AND r.org_id = k.org_id AND r.target = k.event_id
            )
    ) AS effective_events;
