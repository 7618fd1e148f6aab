{{ config(materialized='incremental', unique_key=['org_id', 'event_id'], on_schema_change='fail') }}

-- Every stored asset.shared event, typed; appended incrementally.
{{ incremental_facts('stg_events__asset_shared') }}
