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
        org_id,
        person_ref,
        occurred_at,
        role,
        event_seq
    from {{ ref('int_member_changes') }}
    where change = 'joined'

),

leaves as (

    select
        org_id,
        person_ref,
        occurred_at
    from {{ ref('int_member_changes') }}
    where change = 'left'

)

{{ first_leave_spans('joins', 'leaves', ['org_id', 'person_ref'], 'started_at', 'ended_at',
                     ['max_by(joins.role, joins.event_seq) as role']) }}
