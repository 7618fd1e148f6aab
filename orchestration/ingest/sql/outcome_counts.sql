-- What happened to each file's records in a resolved batch.
SELECT
    source_file,
    outcome,
    coalesce(reason, '') AS reason,
    count(*) AS records
FROM landing_outcome
GROUP BY ALL
ORDER BY ALL;
