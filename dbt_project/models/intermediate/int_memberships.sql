{{ config(materialized='table') }}

-- Membership spans [started_at, ended_at): one per effective member.joined,
-- ending at the first member.left of the same person in the same
-- organisation strictly after it (NULL: still open). A person is an active
-- member at t exactly when some span has started_at <= t < ended_at, which
-- is docs/metrics.md's rule (the latest join at or before t has no later leave
-- at or before t); role is that join's (of the latest stored, when two joins
-- share an instant). Person-level: internal, never extracted.
with

joins as (

    select
        joined.org_id,
        joined.person_ref,
        joined.occurred_at,
        joined.role,
        joined.event_seq
    from {{ ref('stg_events__member_joined') }} as joined
    inner join {{ ref('int_events__effective') }} using (event_seq)

),

leaves as (

    select
        leaving.org_id,
        leaving.person_ref,
        leaving.occurred_at
    from {{ ref('stg_events__member_left') }} as leaving
    inner join {{ ref('int_events__effective') }} using (event_seq)

)

{{ first_leave_spans('joins', 'leaves', ['org_id', 'person_ref'], 'started_at', 'ended_at',
                     ['max_by(joins.role, joins.event_seq) as role']) }}
