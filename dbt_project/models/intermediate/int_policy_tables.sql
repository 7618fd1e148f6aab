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
        joined.event_seq,
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

{{ first_leave_spans('joins', 'leaves', ['org_id', 'table_id'], 'joined_at', 'left_at',
                     ['max_by(joins.event_id, joins.event_seq) as event_id',
                      'max_by(joins.level, joins.event_seq) as level']) }}
