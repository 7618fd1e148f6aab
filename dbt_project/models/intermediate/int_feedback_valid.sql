{{ config(
    materialized=touched_keys_materialization(),
    meta={'touched_keys': true},
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ delete_touched(['org_id', 'event_id'], touched_facts('feedback')) }}"
) }}
-- depends_on: {{ ref('int_touched_facts') }}

-- Effective feedback.recorded events and whether their initiative exists.
-- Kept by touched keys (macros/touched_keys.sql).
with

facts as (

    {{ effective_facts_with_initiative('int_facts__feedback', 'feedback') }}

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
