{{ config(materialized='table') }}

-- Effective feedback.recorded events and whether their initiative exists.
with

facts as (

    {{ effective_facts_with_initiative('int_facts__feedback') }}

)

select
    org_id,
    event_id,
    occurred_at,
    {{ month_of('occurred_at') }} as month,
    initiative_org_id,
    initiative_id,
    initiative_exists,
    stakeholder_type,
    dimension,
    score
from facts
