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

-- Up to which event_seq the key tests of the models may take rows as
-- tested (dbt's keys_checked_through() macro): set by a dbt step of the
-- pipeline for its own invocation, and 0 (every row) at any other time.
CREATE TABLE IF NOT EXISTS quality.key_tests (
    checked_through BIGINT NOT NULL
);

-- Whether a build knew every event stored when it ran (measured at the
-- clock, or at an as-of after every ingestion) and left every table as a
-- build of all of them gives: the next build may then update the tables
-- kept by touched keys from its highest event_seq (built_from: the bound a
-- build used, 0 when it built them whole).
ALTER TABLE quality.model_builds ADD COLUMN IF NOT EXISTS covers_store BOOLEAN;
ALTER TABLE quality.model_builds ADD COLUMN IF NOT EXISTS built_from BIGINT;

-- Up to which event_seq the tables kept by touched keys hold a build of
-- this code (dbt's built_through() macro): set by the pipeline's dbt step
-- of the models for its own invocation, and 0 (build whole) at any other time.
CREATE TABLE IF NOT EXISTS quality.incremental_models (
    built_through BIGINT NOT NULL
);

-- The digest of the impact catalogue the build valued outcomes with
-- (raw.impact_settings): a change to the catalogue alone rebuilds only the
-- models that read it.
ALTER TABLE quality.model_builds ADD COLUMN IF NOT EXISTS catalogue_digest VARCHAR;
