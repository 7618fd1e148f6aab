SELECT outcome, coalesce(reason, '') AS reason, count(*) AS records
FROM landing_outcome
GROUP BY ALL
ORDER BY ALL;
