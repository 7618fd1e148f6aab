{{ config(materialized='table') }}

-- The keys of the effective events (see stg_events__effective): joining on
-- them applies the as-of watermark and the retractions to any typed model.
-- Models join on event_seq, one number an event and unique in the store
-- like the key: hashing one integer, not two texts, for every event.
select
    event_seq,
    org_id,
    event_id,
    event_type,
    occurred_at,
    occurred_month,
    ingested_at
from {{ ref('stg_events__effective') }}
