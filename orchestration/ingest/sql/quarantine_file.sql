INSERT INTO raw.quarantine VALUES (
    $run_id, $now, $feed_org_id, $source_file, NULL, $reason, $message, NULL, NULL, NULL, $feed_id, NULL
);
