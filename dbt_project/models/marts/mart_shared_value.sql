-- Shared value (co-production) per initiative and month.
select
    org_id,
    initiative_id,
    month,
    {{ money('own_value_eur') }} as own_value_eur,
    {{ money('coproduced_value_eur') }} as coproduced_value_eur,
    {{ money('resources_eur') }} as resources_eur,
    {{ money('total_value_eur') }} as total_value_eur,
    cast(coproduced_value_eur as double)
    / nullif(cast(own_value_eur + coproduced_value_eur as double), 0) as coproduction_ratio,
    contributing_orgs,
    contributors,
    feedback_count,
    cast(feedback_score_sum as double) / nullif(feedback_count, 0) as feedback_score_avg
from {{ ref('int_initiative_months') }}
