-- The broken payload rules a data test payload_rules stored, the most
-- broken first.
SELECT
    column_name,
    rule,
    records,
    first_record
FROM {{ relation }}
ORDER BY records DESC, column_name ASC, rule ASC;
