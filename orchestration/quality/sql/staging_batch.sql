-- A typed staging model's rows appended since its suite last passed, in
-- arrival order. {{ relation }} is a model name from the fixed list of
-- expectations/staging.py, checked as an identifier before it is spliced.
SELECT *
FROM staging.{{ relation }}
WHERE event_seq > coalesce((
        SELECT validated_through FROM quality.watermarks
        WHERE check_name = $check_name
    ), 0)
ORDER BY event_seq;
