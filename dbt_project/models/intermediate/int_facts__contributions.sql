{{ config(materialized='incremental', unique_key=['org_id', 'event_id'], on_schema_change='fail') }}

-- Every stored contribution.logged event, typed; appended incrementally.
{{ incremental_facts('stg_events__contribution_logged') }}
