-- What one unit of each outcome is worth, the SROI way, under each set of
-- assumptions of int_outcome_assumptions:
--   gross    = proxy
--   impact1  = gross * (1 - deadweight) * (1 - displacement) * (1 - attribution)
--   impact_t = impact1 * (1 - drop_off)^(t - 1), for t = 1 .. duration
--   pv       = the sum over t of impact_t / (1 + discount_rate)^t
with

valued as (

    select
        *,
        proxy_eur * (1 - deadweight) * (1 - displacement) * (1 - attribution) as impact_eur
    from {{ ref('int_outcome_assumptions') }}

),

benefit_years as (

    select
        outcome_code,
        parameter,
        scenario,
        proxy_eur,
        impact_eur,
        drop_off,
        discount_rate,
        {{ each_integer(1, 'duration_years') }} as t
    from valued

)

select
    outcome_code,
    parameter,
    scenario,
    proxy_eur as gross_eur,
    impact_eur,
    sum(impact_eur * power(1 - drop_off, t - 1) / power(1 + discount_rate, t)) as present_value_eur
from benefit_years
group by outcome_code, parameter, scenario, proxy_eur, impact_eur
