-- One row: the as-of watermark the marts were built with, how much of the
-- event store it covered, and the impact catalogue it valued outcomes
-- with. Extracts record it in their manifest. Read from the effective
-- events' table, not the staging view, which would decide every event's
-- effectiveness again.
select
    {{ as_of() }} as as_of,
    (select count(*) from {{ ref('int_events__effective') }}) as effective_events,
    (select max(ingested_at) from {{ ref('int_events__effective') }}) as last_ingested_at,
    (select max(catalogue_digest) from {{ ref('stg_registry__impact_settings') }}) as catalogue_digest,
    (select max(discount_rate) from {{ ref('stg_registry__impact_settings') }}) as discount_rate
