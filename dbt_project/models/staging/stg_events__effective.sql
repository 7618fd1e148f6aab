-- The events that count, as known at the as-of watermark: ingested by then,
-- not retracted by a retraction ingested by then, and not retractions
-- themselves (a retraction counts nowhere except to remove its target).
-- Typed per-type staging models hold every stored event; intermediate
-- models keep the effective ones by joining on (org_id, event_id), so the
-- heavy typed facts can be materialised incrementally.
with

known as (

    select * from {{ ref('stg_events__events') }}
    where ingested_at <= {{ as_of() }}

),

retracted as (

    -- read from the events again, not from `known`: DuckDB materialises a
    -- CTE read twice, every column of every event with its payload
    select distinct
        org_id,
        {{ json_text('payload', 'event_id') }} as event_id
    from {{ ref('stg_events__events') }}
    where event_type = 'event.retracted'
        and ingested_at <= {{ as_of() }}

),

effective as (

    select known.*
    from known
    left join retracted
        on known.org_id = retracted.org_id
            and known.event_id = retracted.event_id
    where retracted.event_id is null
        and known.event_type <> 'event.retracted'

)

select * from effective
