-- How many rows of profile_source have no value in one column, named
-- {{ alias }}, with the first such row. {{ rule_column }}, {{ alias }}:
-- checked identifiers.
SELECT
    count(*) - count({{ rule_column }}) AS {{ alias }},
    arg_min(key_org_id, CASE WHEN {{ rule_column }} IS NULL THEN event_seq END) AS org_id,
    arg_min(key_event_id, CASE WHEN {{ rule_column }} IS NULL THEN event_seq END) AS event_id
FROM profile_source
