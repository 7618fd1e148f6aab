-- Checks whose latest result is a failure.
SELECT
    stage,
    asset,
    check_name,
    status,
    message
FROM (
    SELECT
        *,
        row_number() OVER (PARTITION BY asset, check_name ORDER BY checked_at DESC) AS nth
    FROM quality.check_results
) AS latest
WHERE nth = 1 AND status <> 'passed'
ORDER BY stage, asset, check_name;
