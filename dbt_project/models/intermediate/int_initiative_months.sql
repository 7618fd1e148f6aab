{{ config(materialized='table') }}

-- Unrounded sums per initiative and month (rounding happens only at a
-- mart's output columns).
select
    org_id,
    initiative_id,
    month,
    sum(own_value_eur) as own_value_eur,
    sum(coproduced_value_eur) as coproduced_value_eur,
    sum(resources_eur) as resources_eur,
    sum(own_value_eur) + sum(coproduced_value_eur) + sum(resources_eur) as total_value_eur,
    count(distinct contributing_org_id) as contributing_orgs,
    count(distinct person_ref) as contributors,
    count(score) as feedback_count,
    sum(score) as feedback_score_sum
from {{ ref('int_initiative_facts') }}
group by org_id, initiative_id, month
