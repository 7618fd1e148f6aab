{{ config(materialized='incremental', unique_key=['org_id', 'event_id'], on_schema_change='fail') }}

-- Every stored resource.committed event, typed; appended incrementally.
{{ incremental_facts('stg_events__resource_committed') }}
