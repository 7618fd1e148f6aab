{{ config(materialized='table') }}

-- Effective outcome.reported events, each with the first rule it breaks
-- (initiative_unknown, outcome_unknown, period_invalid), NULL when it
-- counts. A counted report counts for the organisation that owns the
-- initiative, whoever emitted it, in the year of its period_end.
with

reports as (

    select facts.*
    from {{ ref('int_facts__outcomes') }} as facts
    inner join {{ ref('int_events__effective') }} using (event_seq)

)

select
    reports.org_id,
    reports.event_id,
    reports.occurred_at,
    reports.initiative_org_id,
    reports.initiative_id,
    reports.outcome_code,
    reports.stakeholder_type,
    coalesce(reports.evidence, 'self_reported') as evidence,
    reports.quantity,
    reports.period_start,
    reports.period_end,
    {{ year_of('reports.period_end') }} as year,
    case
        when initiatives.initiative_id is null then 'initiative_unknown'
        when catalogue.outcome_code is null then 'outcome_unknown'
        when reports.period_end < reports.period_start then 'period_invalid'
    end as rejection
from reports
left join {{ ref('int_initiatives') }} as initiatives
    on reports.initiative_org_id = initiatives.org_id
        and reports.initiative_id = initiatives.initiative_id
left join {{ ref('stg_registry__outcome_catalogue') }} as catalogue
    on reports.outcome_code = catalogue.outcome_code
