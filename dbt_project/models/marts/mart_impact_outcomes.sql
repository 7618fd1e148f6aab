-- Which outcomes make up each organisation-year's impact account: see mart_impact_outcomes.yml.
select
    org_id,
    year,
    outcome_code,
    sum(outcome_reports) as outcome_reports,
    {{ money('sum(present_value_eur)') }} as present_value_eur
from {{ ref('int_impact_groups') }}
group by org_id, year, outcome_code
