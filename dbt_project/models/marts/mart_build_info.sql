-- One row: the as-of watermark the marts were built with, and how much of
-- the event store it covered. Extracts record it in their manifest. Read
-- from the effective events' table, not the staging view, which would
-- decide every event's effectiveness again.
select
    {{ as_of() }} as as_of,
    (select count(*) from {{ ref('int_events__effective') }}) as effective_events,
    (select max(ingested_at) from {{ ref('int_events__effective') }}) as last_ingested_at
