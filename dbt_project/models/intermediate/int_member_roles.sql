{{ config(materialized='table') }}

-- Who held which role where, as periods [started_at, ended_at): a
-- membership span (int_memberships) lasts until its leave or the person's
-- next join in the same organisation, whichever comes first, since the
-- latest join gives the role. A person is an active member with role r at t
-- exactly when a period with role r has started_at <= t < ended_at (NULL:
-- open). Person-level: internal, never extracted.
with

spans as (

    select
        org_id,
        person_ref,
        role,
        started_at,
        ended_at,
        lead(started_at) over (partition by org_id, person_ref order by started_at) as next_join_at
    from {{ ref('int_memberships') }}

)

select
    org_id,
    person_ref,
    role,
    started_at,
    case
        when next_join_at is null then ended_at
        when ended_at is null then next_join_at
        else least(ended_at, next_join_at)
    end as ended_at
from spans
