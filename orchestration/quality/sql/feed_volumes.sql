-- Per feed: records read by its latest run that read any, and the mean of
-- the five runs before (the recent history it is compared with).
WITH per_run AS (
    SELECT
        feed_id,
        run_id,
        min(started_at) AS started_at,
        sum(records_read) AS records
    FROM raw.ingest_ledger
    WHERE status = 'ingested'
    GROUP BY feed_id, run_id
    HAVING sum(records_read) > 0
),

ranked AS (
    SELECT
        *,
        row_number() OVER (PARTITION BY feed_id ORDER BY started_at DESC, run_id DESC) AS recency
    FROM per_run
)

SELECT
    feed_id,
    max(records) FILTER (WHERE recency = 1) AS latest,
    avg(records) FILTER (WHERE recency BETWEEN 2 AND 6) AS usual,
    count(*) FILTER (WHERE recency BETWEEN 2 AND 6) AS history
FROM ranked
GROUP BY feed_id
ORDER BY feed_id;
