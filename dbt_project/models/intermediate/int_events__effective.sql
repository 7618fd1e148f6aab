{{ config(
    materialized=touched_keys_materialization(),
    meta={'touched_keys': true},
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ delete_touched(['event_seq'], moved_events('stg_events__events', ['event_seq', 'org_id', 'event_id'])) }}"
) }}
-- depends_on: {{ ref('stg_events__events') }}

-- The keys of the effective events (see stg_events__effective): joining on
-- them applies the as-of watermark and the retractions to any typed model.
-- Models join on event_seq, one number an event and unique in the store
-- like the key: hashing one integer, not two texts, for every event.
-- Kept by touched keys (macros/touched_keys.sql): the events stored since
-- the previous build, and those a retraction stored since then removes.
select
    event_seq,
    org_id,
    event_id,
    event_type,
    occurred_at,
    occurred_month,
    ingested_at
from {{ ref('stg_events__effective') }}
{% if by_touched_keys() -%}
    where event_seq > {{ built_through() }}
{%- endif %}
