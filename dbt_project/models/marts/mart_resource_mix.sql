-- Resource mix per organisation and quarter, with the Gini-Simpson index,
-- one column per source type of resource.committed (sources/schemas).
{%- set source_types = contract_values('resource.committed', 'source_type') %}

with

by_source as (

    select
        org_id,
        quarter,
        {%- for source_type in source_types %}
            sum(case when source_type = '{{ source_type }}' then amount_eur else 0 end) as {{ source_type }}_eur,
        {%- endfor %}
        sum(amount_eur) as total_eur
    from {{ ref('int_resources_valid') }}
    where initiative_exists
    group by org_id, quarter

)

select
    org_id,
    quarter,
    {%- for source_type in source_types %}
        {{ money(source_type ~ '_eur') }} as {{ source_type }}_eur,
    {%- endfor %}
    {{ money('total_eur') }} as total_eur,
    1 - (
        {%- for source_type in source_types %}
            power(cast({{ source_type }}_eur as double) / cast(total_eur as double), 2){{ ' +' if not loop.last }}
        {%- endfor %}
    ) as resource_mix_index
from by_source
