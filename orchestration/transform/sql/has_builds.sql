-- Whether the warehouse holds the build bookkeeping and the check results
-- the latest build is judged with.
SELECT count(*) = 2 AS has_builds
FROM information_schema.tables
WHERE (table_schema = 'builds' AND table_name = 'model_builds')
    OR (table_schema = 'quality' AND table_name = 'check_results');
