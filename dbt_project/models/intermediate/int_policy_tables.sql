{{ config(materialized='table') }}

-- Seats at institutional tables as spans [joined_at, left_at): one per
-- effective policy.table_joined, ending at the first policy.table_left of
-- the same organisation and table strictly after it (NULL: still held). An
-- organisation holds a table at t exactly when some span has
-- joined_at <= t < left_at, which is docs/metrics.md's rule (its latest
-- join at or before t has no later leave at or before t); the fold of
-- membership spans (int_memberships), for organisations and tables.
with

joins as (

    select
        joined.org_id,
        joined.table_id,
        joined.event_id,
        joined.occurred_at,
        joined.level
    from {{ ref('stg_events__policy_table_joined') }} as joined
    inner join {{ ref('int_events__effective') }} using (event_seq)

),

leaves as (

    select
        leaving.org_id,
        leaving.table_id,
        leaving.occurred_at
    from {{ ref('stg_events__policy_table_left') }} as leaving
    inner join {{ ref('int_events__effective') }} using (event_seq)

)

select
    joins.org_id,
    joins.table_id,
    joins.event_id,
    joins.level,
    joins.occurred_at as joined_at,
    min(leaves.occurred_at) as left_at
from joins
left join leaves
    on joins.org_id = leaves.org_id
        and joins.table_id = leaves.table_id
        and joins.occurred_at < leaves.occurred_at
group by joins.org_id, joins.table_id, joins.event_id, joins.level, joins.occurred_at
