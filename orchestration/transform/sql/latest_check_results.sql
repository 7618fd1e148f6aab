-- The latest result of every check on the given assets: what a check on a
-- kept model says again.
SELECT
    asset,
    check_name,
    run_id,
    status,
    message
FROM quality.check_results
WHERE asset IN (SELECT unnest($assets::VARCHAR[]))
QUALIFY row_number() OVER (PARTITION BY asset, check_name ORDER BY checked_at DESC, rowid DESC) = 1;
