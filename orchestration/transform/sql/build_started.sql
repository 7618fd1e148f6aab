-- A build under way counts as not current until it finishes: a build that
-- never finishes leaves the marts in doubt, and the next run rebuilds all.
INSERT INTO quality.model_builds
(run_id, started_at, finished_at, whole, max_event_seq, events, inputs_digest, is_current)
VALUES ($run_id, now()::TIMESTAMP, NULL, $whole, NULL, NULL, NULL, FALSE);
