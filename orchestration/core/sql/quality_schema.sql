CREATE SCHEMA IF NOT EXISTS quality;

-- How far each incremental check has validated an append-only table.
CREATE TABLE IF NOT EXISTS quality.watermarks (
    check_name VARCHAR PRIMARY KEY,
    validated_through BIGINT NOT NULL,
    checked_at TIMESTAMP NOT NULL
);

-- Every check result of every run: quality history, queryable with SQL.
CREATE TABLE IF NOT EXISTS quality.check_results (
    run_id VARCHAR NOT NULL,
    stage VARCHAR NOT NULL,  -- landing | event_store | staging | intermediate | marts | extracts
    asset VARCHAR NOT NULL,
    check_name VARCHAR NOT NULL,
    status VARCHAR NOT NULL,  -- passed | failed_error | failed_warn
    observed_value DOUBLE,
    message VARCHAR,
    checked_at TIMESTAMP NOT NULL
);

-- Every great-expectations validation (suite, batch, result as JSON with its
-- value lists trimmed): the source the GX Data Docs are rendered from.
CREATE TABLE IF NOT EXISTS quality.validation_results (
    run_id VARCHAR NOT NULL,
    stage VARCHAR NOT NULL,
    asset VARCHAR NOT NULL,
    suite VARCHAR NOT NULL,
    batch VARCHAR NOT NULL,  -- a landing file, a table, an extract file
    success BOOLEAN NOT NULL,
    result_json VARCHAR NOT NULL,
    suite_json VARCHAR NOT NULL,
    validated_at TIMESTAMP NOT NULL
);

-- The landing suite's verdict on each batch as the ingest took it (without GX), with the rules it
-- judged and the profile it judged them on (Arrow IPC): the event-store suite's step has GX validate
-- the profile again, records that for the Data Docs and drops the row (orchestration/quality/landing_docs.py).
CREATE TABLE IF NOT EXISTS quality.landing_profiles (
    run_id VARCHAR NOT NULL,
    batch_no INTEGER NOT NULL,
    suite VARCHAR NOT NULL,
    batch_label VARCHAR NOT NULL,
    rules VARCHAR NOT NULL,  -- JSON: the ProfileRules judged (expectations/profile_rules.py)
    failures VARCHAR NOT NULL,  -- JSON: the verdict's failures as said
    profile BLOB NOT NULL,
    judged_at TIMESTAMP NOT NULL
);
