-- Each organisation-year's present value and ratio with one assumption
-- moved for all its reports: see mart_impact_sensitivity.yml.
with

scenarios as (

    select
        groups.org_id,
        groups.year,
        unit_values.parameter,
        unit_values.scenario,
        sum(cast(cast(groups.quantity as double) * unit_values.present_value_eur as decimal(38, 6)))
            as present_value_eur
    from {{ ref('int_impact_groups') }} as groups
    inner join {{ ref('int_outcome_unit_values') }} as unit_values
        on groups.outcome_code = unit_values.outcome_code
            and unit_values.parameter <> 'base'
    group by groups.org_id, groups.year, unit_values.parameter, unit_values.scenario

),

ratios as (

    select
        scenarios.org_id,
        scenarios.year,
        scenarios.parameter,
        scenarios.scenario,
        scenarios.present_value_eur,
        cast(scenarios.present_value_eur as double) / nullif(cast(base.inputs_eur as double), 0) as sroi_ratio,
        -- scenario ratio - base ratio, the difference taken exactly before the one division
        cast(scenarios.present_value_eur - base.present_value_eur as double)
        / nullif(cast(base.inputs_eur as double), 0) as ratio_change
    from scenarios
    inner join {{ ref('int_impact_org_years') }} as base
        on scenarios.org_id = base.org_id
            and scenarios.year = base.year

)

select
    org_id,
    year,
    parameter,
    scenario,
    {{ money('present_value_eur') }} as present_value_eur,
    sroi_ratio,
    ratio_change
from ratios
