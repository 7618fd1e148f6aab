-- mart_shared_value against the valued facts of intermediate: totals agree
-- within the rounding of each output row (half a cent a row).
WITH facts AS (
    SELECT sum(own_value_eur + coproduced_value_eur + resources_eur) AS total FROM intermediate.int_initiative_facts
),

mart AS (
    SELECT
        sum(total_value_eur) AS total,
        count(*) AS rows
    FROM marts.mart_shared_value
)

SELECT
    abs(coalesce(mart.total, 0) - coalesce(facts.total, 0)) AS difference,
    0.005 * mart.rows AS tolerance,
    mart.total AS mart_total,
    facts.total AS facts_total
FROM facts, mart;
