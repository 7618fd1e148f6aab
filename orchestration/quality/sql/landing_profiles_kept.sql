-- The landing profiles the ingest kept and GX has not recorded yet, oldest first.
SELECT
    run_id,
    batch_no,
    suite,
    batch_label,
    rules,
    failures,
    profile
FROM quality.landing_profiles
ORDER BY judged_at, run_id, batch_no;
