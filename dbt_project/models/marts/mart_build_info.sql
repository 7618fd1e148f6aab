-- One row: the as-of watermark the marts were built with, and how much of
-- the event store it covered. Extracts record it in their manifest.
select
    {{ as_of() }} as as_of,
    (select count(*) from {{ ref('stg_events__effective') }}) as effective_events,
    (select max(ingested_at) from {{ ref('stg_events__effective') }}) as last_ingested_at
