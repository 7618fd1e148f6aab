CREATE SCHEMA IF NOT EXISTS quality;

-- How far each incremental check has validated an append-only table.
CREATE TABLE IF NOT EXISTS quality.watermarks (
    check_name   VARCHAR   PRIMARY KEY,
    validated_through BIGINT NOT NULL,
    checked_at   TIMESTAMP NOT NULL
);
