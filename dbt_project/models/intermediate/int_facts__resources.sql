{{ config(materialized='incremental', unique_key=['org_id', 'event_id'], on_schema_change='fail') }}

-- Every stored resource.committed event, typed; appended incrementally. Its
-- initiative is the emitting organisation's own (docs/events.md), keyed like the
-- initiatives of the other facts.
select
    *,
    org_id as initiative_org_id
from ({{ incremental_facts('stg_events__resource_committed') }}) as new_facts
