DELETE FROM quality.incremental_models;
INSERT INTO quality.incremental_models VALUES ($built_through);
UPDATE quality.model_builds SET built_from = $built_through
WHERE run_id = $run_id AND finished_at IS NULL;
