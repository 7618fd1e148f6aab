-- The outcome catalogue the impact marts were valued with: see dim_outcomes.yml.
select
    catalogue.outcome_code,
    catalogue.outcome_label,
    catalogue.outcome_unit,
    {{ money('catalogue.proxy_eur') }} as proxy_eur,
    catalogue.proxy_source,
    catalogue.price_year,
    catalogue.deadweight,
    catalogue.displacement,
    catalogue.attribution,
    catalogue.drop_off,
    catalogue.duration_years,
    settings.discount_rate
from {{ ref('stg_registry__outcome_catalogue') }} as catalogue
cross join {{ ref('stg_registry__impact_settings') }} as settings
