INSERT INTO quality.check_results VALUES (
    $run_id, $stage, $asset, $check_name, $status, $observed_value, $message, now()::TIMESTAMP
);
