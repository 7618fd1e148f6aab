-- The least and the greatest value of one column of profile_source, and
-- its shortest and longest (lengths of its text), each with the first row
-- holding it. {{ rule_column }}: a checked identifier.
WITH extremes AS (
    SELECT
        min({{ rule_column }}) AS least_value,
        max({{ rule_column }}) AS greatest_value,
        arg_min({{ rule_column }}, length(cast({{ rule_column }} AS VARCHAR))) AS shortest_value,
        arg_max({{ rule_column }}, length(cast({{ rule_column }} AS VARCHAR))) AS longest_value
    FROM profile_source
)

SELECT
    s.{{ rule_column }},
    arg_min(s.key_org_id, s.event_seq) AS org_id,
    arg_min(s.key_event_id, s.event_seq) AS event_id
FROM profile_source AS s, extremes AS e
WHERE s.{{ rule_column }} IN (e.least_value, e.greatest_value, e.shortest_value, e.longest_value)
GROUP BY s.{{ rule_column }}
