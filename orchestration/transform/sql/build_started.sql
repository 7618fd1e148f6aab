-- A build under way counts as not current until it finishes: a build that
-- never finishes leaves the marts in doubt, and the next run rebuilds all.
-- built_from: the event_seq its tables kept by touched keys are updated
-- from (0: built whole).
INSERT INTO builds.model_builds
(run_id, started_at, finished_at, whole, max_event_seq, events, inputs_digest, is_current, built_from)
VALUES ($run_id, now()::TIMESTAMP, NULL, $whole, NULL, NULL, NULL, FALSE, $built_from);
