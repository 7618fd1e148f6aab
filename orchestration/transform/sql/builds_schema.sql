CREATE SCHEMA IF NOT EXISTS quality;

-- One row a build of the intermediate models and marts: from which store
-- (its highest event_seq and its count: the store is append-only) and
-- which code and registry (a digest), and whether the marts it left are
-- those a build at the clock's as_of would give (`current`). A run with
-- nothing new rebuilds only the models that move with the clock when the
-- latest build is current and its inputs have not moved since.
CREATE TABLE IF NOT EXISTS quality.model_builds (
    run_id VARCHAR NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    whole BOOLEAN NOT NULL,  -- every model of the step was selected
    max_event_seq BIGINT,
    events BIGINT,
    inputs_digest VARCHAR,
    is_current BOOLEAN NOT NULL
);
