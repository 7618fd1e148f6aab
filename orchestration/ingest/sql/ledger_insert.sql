INSERT INTO raw.ingest_ledger VALUES (
    $run_id, $feed_org_id, $source_file, $status, $started_at, now()::TIMESTAMP,
    $records_read, $stored, $duplicates, $quarantined,
    $byte_offset_from, $byte_offset_to, $last_line, $prefix_sha256, $message, $source_mtime_ns, $feed_id
);
