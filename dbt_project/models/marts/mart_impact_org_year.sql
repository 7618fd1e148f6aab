-- The impact account per organisation and year: see mart_impact_org_year.yml.
select
    org_id,
    year,
    initiatives_evaluated,
    {{ money('present_value_eur') }} as present_value_eur,
    {{ money('inputs_eur') }} as inputs_eur,
    {{ money('present_value_eur - inputs_eur') }} as net_present_value_eur,
    cast(present_value_eur as double) / nullif(cast(inputs_eur as double), 0) as sroi_ratio,
    cast(inputs_eur as double) / nullif(cast(all_inputs_eur as double), 0) as coverage,
    cast(inputs_eur as double) / nullif(cast(present_value_eur as double), 0) as break_even_proxy_factor
from {{ ref('int_impact_org_years') }}
