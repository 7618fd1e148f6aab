-- The build bookkeeping's own schema. One row a build of the models: from
-- which store (its highest event_seq and its count: the store is
-- append-only) and which code and registry (a digest), whether the marts
-- it left are those a build at the clock's as_of would give (is_current),
-- whether it knew every event stored when it ran (covers_store), from
-- which event_seq it updated the tables kept by touched keys (built_from,
-- 0 when it built them whole) and the digest of the impact catalogue it
-- valued outcomes with (catalogue_digest).
CREATE SCHEMA IF NOT EXISTS builds;

CREATE TABLE IF NOT EXISTS builds.model_builds (
    run_id VARCHAR NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    whole BOOLEAN NOT NULL,  -- every model of the step was selected
    max_event_seq BIGINT,
    events BIGINT,
    inputs_digest VARCHAR,
    is_current BOOLEAN NOT NULL,
    covers_store BOOLEAN,
    built_from BIGINT,
    catalogue_digest VARCHAR
);
