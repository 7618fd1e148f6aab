-- The assumptions each catalogued outcome is valued under: the catalogue's
-- own (parameter and scenario 'base'), and for each scenario of the
-- sensitivity analysis the same with one assumption moved: a deflator 0.10
-- lower (floored at 0) or higher (capped at 0.95), the proxy at 75% or 125%,
-- the duration a year shorter (floored at 1) or longer, the discount rate
-- at 1.5% or 5.5%.
with

catalogue as (

    select
        outcomes.*,
        settings.discount_rate
    from {{ ref('stg_registry__outcome_catalogue') }} as outcomes
    cross join {{ ref('stg_registry__impact_settings') }} as settings

),

moves as (

    select
        scenarios.parameter,
        scenarios.scenario
    from (
        values
        ('base', 'base'),
        ('deadweight', 'low'), ('deadweight', 'high'),
        ('displacement', 'low'), ('displacement', 'high'),
        ('attribution', 'low'), ('attribution', 'high'),
        ('drop_off', 'low'), ('drop_off', 'high'),
        ('proxy', 'low'), ('proxy', 'high'),
        ('duration', 'low'), ('duration', 'high'),
        ('discount_rate', 'low'), ('discount_rate', 'high')
    ) as scenarios (parameter, scenario)

),

final as (

    select
        catalogue.outcome_code,
        moves.parameter,
        moves.scenario,
        catalogue.proxy_eur * case
            when moves.parameter = 'proxy' and moves.scenario = 'low' then 0.75
            when moves.parameter = 'proxy' and moves.scenario = 'high' then 1.25
            else 1.0
        end as proxy_eur,
        {{ moved_fraction('deadweight') }} as deadweight,
        {{ moved_fraction('displacement') }} as displacement,
        {{ moved_fraction('attribution') }} as attribution,
        {{ moved_fraction('drop_off') }} as drop_off,
        case
            when moves.parameter = 'duration' and moves.scenario = 'low' then greatest(catalogue.duration_years - 1, 1)
            when moves.parameter = 'duration' and moves.scenario = 'high' then catalogue.duration_years + 1
            else catalogue.duration_years
        end as duration_years,
        case
            when moves.parameter = 'discount_rate' and moves.scenario = 'low' then 0.015
            when moves.parameter = 'discount_rate' and moves.scenario = 'high' then 0.055
            else catalogue.discount_rate
        end as discount_rate
    from catalogue
    cross join moves

)

select * from final
