{{ config(materialized='table') }}

-- Every effective member.joined and member.left, one row each: what the
-- membership spans fold and what the social report counts as joins and
-- leaves. A table, so that the store is scanned for them once a build
-- rather than once for each reader. Person-level: internal, never extracted.
select
    joined.event_seq,
    joined.org_id,
    joined.person_ref,
    joined.occurred_at,
    'joined' as change,
    joined.role
from {{ ref('stg_events__member_joined') }} as joined
inner join {{ ref('int_events__effective') }} using (event_seq)

union all

select
    leaving.event_seq,
    leaving.org_id,
    leaving.person_ref,
    leaving.occurred_at,
    'left' as change,
    cast(null as string) as role
from {{ ref('stg_events__member_left') }} as leaving
inner join {{ ref('int_events__effective') }} using (event_seq)
