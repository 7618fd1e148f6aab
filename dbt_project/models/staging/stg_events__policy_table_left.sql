-- generated from sources/schemas by `coopmetrics generate-dbt`: do not edit.
-- Every stored policy.table_left event, typed
-- (see stg_events__effective for which count).
{{ typed_event_staging('policy.table_left') }}
