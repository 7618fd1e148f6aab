-- The event store. raw.events is append-only: rows are inserted, never
-- updated or deleted; every other table in the warehouse is a projection.
CREATE SCHEMA IF NOT EXISTS raw;

CREATE SEQUENCE IF NOT EXISTS raw.event_seq START 1;

CREATE TABLE IF NOT EXISTS raw.events (
    event_seq BIGINT NOT NULL DEFAULT nextval('raw.event_seq'),  -- arrival order, for incremental models
    org_id VARCHAR NOT NULL,
    event_id VARCHAR NOT NULL,
    event_type VARCHAR NOT NULL,
    schema_version INTEGER NOT NULL,
    occurred_at TIMESTAMP NOT NULL,  -- UTC
    actor_ref VARCHAR,             -- pseudonymised
    payload JSON NOT NULL,  -- as delivered (pseudonymised); upcast in staging
    ingested_at TIMESTAMP NOT NULL,  -- UTC, one instant per run: the as-of watermark
    run_id VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    source_line BIGINT NOT NULL,
    content_hash VARCHAR NOT NULL   -- sha256 of the normalised content: tells re-delivery from conflict
    -- (org_id, event_id) is unique, but not by a PRIMARY KEY: resolve.sql
    -- decides duplicates before anything is appended, and the dbt test
    -- unique_combination on stg_events__events checks the whole store
    -- on every build. The key's index would hold every key in memory and
    -- slow every append.
);

CREATE TABLE IF NOT EXISTS raw.quarantine (
    run_id VARCHAR NOT NULL,
    quarantined_at TIMESTAMP NOT NULL,
    feed_org_id VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    source_line BIGINT,             -- NULL when the whole file is quarantined
    reason VARCHAR NOT NULL,
    message VARCHAR NOT NULL,
    event_id VARCHAR,            -- when it could be read
    original VARCHAR,            -- the record as delivered (e-mail addresses pseudonymised)
    original_bytes BLOB                -- only when the record is not valid UTF-8
);

CREATE TABLE IF NOT EXISTS raw.ingest_ledger (
    run_id VARCHAR NOT NULL,
    feed_org_id VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    status VARCHAR NOT NULL,  -- ingested | skipped | file_quarantined
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    records_read BIGINT NOT NULL,
    stored BIGINT NOT NULL,
    duplicates BIGINT NOT NULL,
    quarantined BIGINT NOT NULL,
    byte_offset_from BIGINT NOT NULL,  -- this run read bytes [from, to) of the file
    byte_offset_to BIGINT NOT NULL,
    last_line BIGINT NOT NULL,  -- last line number consumed so far
    prefix_sha256 VARCHAR,             -- SHA-256 of bytes [0, to) (file_digest.py), to notice changed files
    message VARCHAR
);
-- the file's mtime when it was read: a file of the same size and mtime is skipped unopened
ALTER TABLE raw.ingest_ledger ADD COLUMN IF NOT EXISTS source_mtime_ns BIGINT;

-- The registry's organisations, rewritten by every ingest run: config, not
-- events, so it is a projection of sources/registry.yml like everything else.
CREATE TABLE IF NOT EXISTS raw.organisations (
    org_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    sector VARCHAR NOT NULL,
    locality VARCHAR NOT NULL,
    feed_format VARCHAR NOT NULL,
    demo BOOLEAN NOT NULL
);

-- The registry's outcome catalogue (its impact: section), rewritten by every
-- ingest run like raw.organisations: one row an outcome code, and one row of
-- what holds for all of them (the discount rate, the catalogue's digest).
CREATE TABLE IF NOT EXISTS raw.outcome_catalogue (
    outcome_code VARCHAR PRIMARY KEY,
    label VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    proxy_eur DOUBLE NOT NULL,
    proxy_source VARCHAR NOT NULL,
    price_year INTEGER NOT NULL,
    deadweight DOUBLE NOT NULL,
    displacement DOUBLE NOT NULL,
    attribution DOUBLE NOT NULL,
    drop_off DOUBLE NOT NULL,
    duration_years INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS raw.impact_settings (
    discount_rate DOUBLE NOT NULL,
    catalogue_digest VARCHAR NOT NULL
);

-- The pepper the warehouse's pseudonyms were made with, as a fingerprint
-- (HMAC-SHA256 of a fixed label keyed by the pepper; never the pepper): a
-- run with another pepper stops before storing anything (ingest/pepper.py).
CREATE TABLE IF NOT EXISTS raw.pepper_fingerprint (
    fingerprint VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

-- Several feeds per organisation: ledger and quarantine rows are per feed. A
-- store written before feed ids existed had one feed an organisation, whose
-- id is the organisation's: its rows get that id here, without re-ingesting.
ALTER TABLE raw.ingest_ledger ADD COLUMN IF NOT EXISTS feed_id VARCHAR;
ALTER TABLE raw.quarantine ADD COLUMN IF NOT EXISTS feed_id VARCHAR;
UPDATE raw.ingest_ledger SET feed_id = feed_org_id
WHERE feed_id IS NULL;
UPDATE raw.quarantine SET feed_id = feed_org_id
WHERE feed_id IS NULL;

-- The sheet of a workbook a record came from (NULL for event logs and CSV files):
-- with source_file and source_line, where a person finds the row
ALTER TABLE raw.events ADD COLUMN IF NOT EXISTS source_sheet VARCHAR;
ALTER TABLE raw.quarantine ADD COLUMN IF NOT EXISTS source_sheet VARCHAR;

-- Every row of every snapshot a snapshot feed delivered (ingest/snapshots.py):
-- the state the next snapshot is compared with, and the lineage of the events
-- its differences derived.
CREATE TABLE IF NOT EXISTS raw.snapshot_rows (
    run_id VARCHAR NOT NULL,
    feed_id VARCHAR NOT NULL,
    register VARCHAR NOT NULL,         -- members | initiatives
    source_file VARCHAR NOT NULL,
    source_line BIGINT NOT NULL,       -- the row as the spreadsheet shows it
    snapshot_at TIMESTAMP NOT NULL,    -- UTC
    key_hash VARCHAR NOT NULL,         -- sha256 of the key cells
    row_hash VARCHAR NOT NULL,         -- sha256 of the register's cells as read
    row_values JSON NOT NULL,          -- the register's columns as read (people pseudonymised)
    outcome VARCHAR NOT NULL,          -- unchanged | derived | quarantined
    derived_event_ids VARCHAR[] NOT NULL,
    applied_seq BIGINT NOT NULL        -- the feed's snapshots in the order they were applied
);

-- What a snapshot changed that no event can say (WARN checks on the feed):
-- a key that disappeared, a change the register's rules ignore.
CREATE TABLE IF NOT EXISTS raw.snapshot_notes (
    run_id VARCHAR NOT NULL,
    feed_id VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    source_line BIGINT,                -- NULL for a key that disappeared
    key_hash VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,             -- disappeared | ignored_change
    note VARCHAR NOT NULL,
    derived_event_ids VARCHAR[] NOT NULL  -- a disappeared member's member.left
);
