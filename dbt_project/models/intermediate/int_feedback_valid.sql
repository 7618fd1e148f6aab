{{ config(materialized='table') }}

-- Effective feedback.recorded events and whether their initiative exists.
select
    facts.org_id,
    facts.event_id,
    facts.occurred_at,
    {{ month_of('facts.occurred_at') }} as month,
    facts.initiative_org_id,
    facts.initiative_id,
    initiatives.initiative_id is not null as initiative_exists,
    facts.stakeholder_type,
    facts.dimension,
    facts.score
from {{ ref('int_facts__feedback') }} as facts
inner join {{ ref('int_events__effective') }} using (org_id, event_id)
left join {{ ref('int_initiatives') }} as initiatives
    on initiatives.org_id = facts.initiative_org_id
    and initiatives.initiative_id = facts.initiative_id
