-- The impact account of each initiative and year with a counted outcome
-- report, unrounded: its valued reports against its inputs of that year
-- (0 when it has none).
with

valued as (

    select
        org_id,
        initiative_id,
        year,
        sum(outcome_reports) as outcome_reports,
        sum(gross_value_eur) as gross_value_eur,
        sum(impact_value_eur) as impact_value_eur,
        sum(present_value_eur) as present_value_eur
    from {{ ref('int_impact_groups') }}
    group by org_id, initiative_id, year

)

select
    valued.*,
    coalesce(inputs.inputs_eur, 0) as inputs_eur
from valued
left join {{ ref('int_initiative_years') }} as inputs
    on valued.org_id = inputs.org_id
        and valued.initiative_id = inputs.initiative_id
        and valued.year = inputs.year
