-- Every distinct value of one column of profile_source, with the first row
-- holding it. {{ rule_column }}: a checked identifier.
SELECT
    {{ rule_column }},
    arg_min(key_org_id, event_seq) AS org_id,
    arg_min(key_event_id, event_seq) AS event_id
FROM profile_source
WHERE {{ rule_column }} IS NOT NULL
GROUP BY {{ rule_column }}
