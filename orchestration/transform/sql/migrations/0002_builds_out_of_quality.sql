-- Warehouses built before the bookkeeping had its own schema kept it in
-- quality.model_builds (its columns added one release at a time), with two
-- one-row tables dbt read bounds back from; the bounds are dbt vars now.
-- The old table is made whole if it is there and empty if not, so the same
-- statements move the rows of any earlier layout.
CREATE SCHEMA IF NOT EXISTS quality;

CREATE TABLE IF NOT EXISTS quality.model_builds (
    run_id VARCHAR NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    whole BOOLEAN NOT NULL,
    max_event_seq BIGINT,
    events BIGINT,
    inputs_digest VARCHAR,
    is_current BOOLEAN NOT NULL
);

ALTER TABLE quality.model_builds ADD COLUMN IF NOT EXISTS covers_store BOOLEAN;
ALTER TABLE quality.model_builds ADD COLUMN IF NOT EXISTS built_from BIGINT;
ALTER TABLE quality.model_builds ADD COLUMN IF NOT EXISTS catalogue_digest VARCHAR;

INSERT INTO builds.model_builds BY NAME
SELECT
    run_id,
    started_at,
    finished_at,
    whole,
    max_event_seq,
    events,
    inputs_digest,
    is_current,
    covers_store,
    built_from,
    catalogue_digest
FROM quality.model_builds
ORDER BY started_at, rowid;

DROP TABLE quality.model_builds;
DROP TABLE IF EXISTS quality.key_tests;
DROP TABLE IF EXISTS quality.incremental_models;
