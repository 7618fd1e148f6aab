-- The landing suite's verdict on one batch, its rules and the profile it judged, kept in the batch's
-- transaction (a batch rolled back keeps none) for GX to validate again and record afterwards.
INSERT INTO quality.landing_profiles
SELECT
    $run_id AS run_id,
    coalesce((SELECT max(batch_no) FROM quality.landing_profiles WHERE run_id = $run_id), 0) + 1 AS batch_no,
    $suite AS suite,
    $batch_label AS batch_label,
    $rules AS rules,
    $failures AS failures,
    $profile AS profile,
    now()::TIMESTAMP AS judged_at;
