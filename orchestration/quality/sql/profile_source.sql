-- The rows of a typed staging model appended since its suite last passed,
-- read once (a staging model is a view that parses each payload): the
-- columns its rules name, with the arrival order and the key of each row.
-- {{ relation }} and {{ columns }} are a model and its rule columns from
-- expectations/staging.py, each checked as an identifier.
CREATE OR REPLACE TEMP TABLE profile_source AS
SELECT
    event_seq,
    org_id AS key_org_id,
    event_id AS key_event_id,
    {{ columns }}
FROM staging.{{ relation }}
WHERE event_seq > coalesce((
        SELECT validated_through FROM quality.watermarks
        WHERE check_name = $check_name
    ), 0);
