-- The impact account per initiative and year (SROI): see mart_impact.yml.
select
    org_id,
    initiative_id,
    year,
    outcome_reports,
    {{ money('gross_value_eur') }} as gross_value_eur,
    {{ money('impact_value_eur') }} as impact_value_eur,
    {{ money('present_value_eur') }} as present_value_eur,
    {{ money('inputs_eur') }} as inputs_eur,
    {{ money('present_value_eur - inputs_eur') }} as net_present_value_eur,
    cast(present_value_eur as double) / nullif(cast(inputs_eur as double), 0) as sroi_ratio,
    cast(inputs_eur as double) / nullif(cast(impact_value_eur as double) / 12, 0) as payback_months
from {{ ref('int_impact_initiative_years') }}
