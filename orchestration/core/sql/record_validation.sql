INSERT INTO quality.validation_results VALUES (
    $run_id, $stage, $asset, $suite, $batch, $success, $result_json, $suite_json, now()::TIMESTAMP
);
