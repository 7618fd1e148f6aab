-- Whether an as-of instant comes after every stored event's ingestion: a
-- build at it knows what a build at the clock knows.
SELECT coalesce(max(ingested_at) <= $as_of, TRUE) AS covers_store
FROM raw.events;
