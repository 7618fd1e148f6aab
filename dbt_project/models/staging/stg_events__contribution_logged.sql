-- generated from sources/schemas by `coopmetrics generate-dbt`: do not edit.
-- Every stored contribution.logged event at its latest version (v2; upcast in macros/upcast.sql), typed
-- (see stg_events__effective for which count).
{{ typed_event_staging('contribution.logged') }}
