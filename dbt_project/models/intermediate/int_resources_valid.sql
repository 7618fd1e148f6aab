{{ config(materialized='table') }}

-- Effective resource.committed events (always for the emitting
-- organisation's own initiative) and whether that initiative exists.
with

facts as (

    {{ effective_facts_with_initiative('int_facts__resources') }}

)

select
    org_id,
    event_id,
    occurred_at,
    {{ month_of('occurred_at') }} as month,
    {{ quarter_of('occurred_at') }} as quarter,
    initiative_org_id,
    initiative_id,
    initiative_exists,
    source_type,
    amount_eur,
    funder_org_id
from facts
