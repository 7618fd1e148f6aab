-- Where the event-store suite last passed, and what was appended since.
WITH watermark AS (
    SELECT coalesce(max(validated_through), 0) AS after_seq
    FROM quality.watermarks
    WHERE check_name = $check_name
)

SELECT
    w.after_seq,
    count(e.event_seq) AS appended,
    max(e.event_seq) AS through_seq
FROM watermark AS w
LEFT JOIN raw.events AS e ON w.after_seq < e.event_seq
GROUP BY w.after_seq;
