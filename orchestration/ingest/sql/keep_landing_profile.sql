-- The landing suite's verdict on one batch, its rules and the profile it judged, kept in the batch's
-- transaction (a batch rolled back keeps none) for GX to validate again and record afterwards.
INSERT INTO quality.landing_profiles VALUES (
    $run_id,
    coalesce(
        (
            SELECT max(batch_no) FROM quality.landing_profiles
            WHERE run_id = $run_id
        ),
        0
    ) + 1,
    $suite, $batch_label, $rules, $failures, $profile, now()::TIMESTAMP
);
