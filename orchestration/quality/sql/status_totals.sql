SELECT
    (SELECT count(*) FROM raw.events),
    (SELECT count(DISTINCT org_id) FROM raw.events),
    (
        SELECT count(*) FROM raw.quarantine
        WHERE source_line IS NOT NULL
    ),
    (
        SELECT count(*) FROM raw.quarantine
        WHERE source_line IS NULL
    ),
    (SELECT coalesce(sum(records_read), 0) FROM raw.ingest_ledger),
    (SELECT coalesce(sum(stored), 0) FROM raw.ingest_ledger),
    (SELECT coalesce(sum(duplicates), 0) FROM raw.ingest_ledger),
    (SELECT coalesce(sum(quarantined), 0) FROM raw.ingest_ledger);
