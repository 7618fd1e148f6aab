-- A landing profile GX has recorded: it goes (the verdict stays in quality.validation_results).
DELETE FROM quality.landing_profiles
WHERE run_id = $run_id AND batch_no = $batch_no;
