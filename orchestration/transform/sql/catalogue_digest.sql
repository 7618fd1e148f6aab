-- The impact catalogue the store holds now (synced from the registry by
-- every ingest run); NULL before the first.
SELECT max(catalogue_digest) AS catalogue_digest
FROM raw.impact_settings;
