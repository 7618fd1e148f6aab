{{ config(
    materialized=touched_keys_materialization(),
    meta={'touched_keys': true},
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ delete_touched(['org_id', 'event_id'], touched_facts('resource')) }}"
) }}
-- depends_on: {{ ref('int_touched_facts') }}

-- Effective resource.committed events (always for the emitting
-- organisation's own initiative) and whether that initiative exists.
-- Kept by touched keys (macros/touched_keys.sql).
with

facts as (

    {{ effective_facts_with_initiative('int_facts__resources', 'resource') }}

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
