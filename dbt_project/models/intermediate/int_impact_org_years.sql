-- The impact account of each organisation and year with an evaluated
-- initiative, unrounded: the sums over its initiatives' rows, and the
-- organisation's whole inputs of that year (over all its initiatives).
with

evaluated as (

    select
        org_id,
        year,
        count(*) as initiatives_evaluated,
        sum(present_value_eur) as present_value_eur,
        sum(inputs_eur) as inputs_eur
    from {{ ref('int_impact_initiative_years') }}
    group by org_id, year

),

whole as (

    select
        org_id,
        year,
        sum(inputs_eur) as all_inputs_eur
    from {{ ref('int_initiative_years') }}
    group by org_id, year

)

select
    evaluated.*,
    coalesce(whole.all_inputs_eur, 0) as all_inputs_eur
from evaluated
left join whole
    on evaluated.org_id = whole.org_id
        and evaluated.year = whole.year
