{{ config(materialized='incremental', unique_key=['org_id', 'event_id'], on_schema_change='fail') }}

-- Every stored outcome.reported event, typed; appended incrementally.
{{ incremental_facts('stg_events__outcome_reported') }}
