-- The distinct characters of one text column of profile_source (read from
-- its distinct values), each with the first row holding it, named
-- {{ alias }}. {{ rule_column }}, {{ alias }}: checked identifiers.
WITH distinct_values AS (
    SELECT
        {{ rule_column }} AS value,
        min(event_seq) AS first_seq,
        arg_min(key_org_id, event_seq) AS org_id,
        arg_min(key_event_id, event_seq) AS event_id
    FROM profile_source
    WHERE {{ rule_column }} IS NOT NULL
    GROUP BY {{ rule_column }}
),

characters AS (
    SELECT
        first_seq,
        org_id,
        event_id,
        unnest(string_split(value, '')) AS c
    FROM distinct_values
)

SELECT
    c AS {{ alias }},
    arg_min(org_id, first_seq) AS org_id,
    arg_min(event_id, first_seq) AS event_id
FROM characters
GROUP BY c
