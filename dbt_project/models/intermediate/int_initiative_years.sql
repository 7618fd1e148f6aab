-- Each initiative's inputs per calendar year: its total_value_eur
-- (mart_shared_value, unrounded) summed over the months of the year.
select
    org_id,
    initiative_id,
    {{ year_of('month') }} as year,
    sum(total_value_eur) as inputs_eur
from {{ ref('int_initiative_months') }}
group by org_id, initiative_id, {{ year_of('month') }}
