{{ config(materialized='table') }}

-- Effective resource.committed events (always for the emitting
-- organisation's own initiative) and whether that initiative exists.
select
    facts.org_id,
    facts.event_id,
    facts.occurred_at,
    {{ month_of('facts.occurred_at') }} as month,
    {{ quarter_of('facts.occurred_at') }} as quarter,
    facts.initiative_org_id,
    facts.initiative_id,
    initiatives.initiative_id is not null as initiative_exists,
    facts.source_type,
    facts.amount_eur,
    facts.funder_org_id
from {{ ref('int_facts__resources') }} as facts
inner join {{ ref('int_events__effective') }} using (org_id, event_id)
left join {{ ref('int_initiatives') }} as initiatives
    on initiatives.org_id = facts.initiative_org_id
    and initiatives.initiative_id = facts.initiative_id
