{{ config(materialized='table') }}

-- The counted outcome reports of each initiative, year and outcome code,
-- valued under the catalogue's assumptions. A group's values are held to
-- the micro-euro (decimal(38, 6)) so that every sum above them is exact and
-- the same on every engine; rounding to cents happens only in the marts.
with

groups as (

    select
        initiative_org_id as org_id,
        initiative_id,
        year,
        outcome_code,
        count(*) as outcome_reports,
        sum(quantity) as quantity
    from {{ ref('int_outcome_reports') }}
    where rejection is null
    group by initiative_org_id, initiative_id, year, outcome_code

)

select
    groups.org_id,
    groups.initiative_id,
    groups.year,
    groups.outcome_code,
    groups.outcome_reports,
    groups.quantity,
    cast(cast(groups.quantity as double) * unit_values.gross_eur as decimal(38, 6)) as gross_value_eur,
    cast(cast(groups.quantity as double) * unit_values.impact_eur as decimal(38, 6)) as impact_value_eur,
    cast(cast(groups.quantity as double) * unit_values.present_value_eur as decimal(38, 6)) as present_value_eur
from groups
inner join {{ ref('int_outcome_unit_values') }} as unit_values
    on groups.outcome_code = unit_values.outcome_code
        and unit_values.parameter = 'base'
