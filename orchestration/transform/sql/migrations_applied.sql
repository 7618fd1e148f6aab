-- Which migrations of the build bookkeeping (sql/migrations/NNNN_*.sql) a
-- warehouse has had: each is applied once, in its number's order.
CREATE SCHEMA IF NOT EXISTS builds;

CREATE TABLE IF NOT EXISTS builds.migrations (
    version INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
);
