-- Coalitions from the membership fold (int_coalition_fold): formation,
-- dissolution and the members of every moment of their life. A member the
-- registry does not know counts as a member, is listed, and has no part in
-- the diversity figures (it has no sector or locality to count).
with

applied as (

    select * from {{ ref('int_coalition_fold') }}
    where verdict = 'applied'

),

life as (

    select
        coalition_id,
        min(occurred_at) filter (where change = 'formed') as formed_at,
        min(occurred_at) filter (where change = 'dissolved') as dissolved_at,
        max_by(members, step) as members_at_end
    from applied
    group by coalition_id

),

members_ever as (

    select distinct
        coalition_id,
        {{ list_elements('members') }} as member_org_id
    from applied

),

summary as (

    select
        members_ever.coalition_id,
        count(*) as member_orgs_ever,
        count(organisations.org_id) as registered_members_ever,
        {{ list_sorted(distinct_list_agg(
            'case when organisations.org_id is null then members_ever.member_org_id end')) }}
            as unregistered_member_org_ids,
        count(distinct organisations.sector) as sectors_ever,
        count(distinct organisations.locality) as localities
    from members_ever
    left join {{ ref('dim_organisations') }} as organisations
        on members_ever.member_org_id = organisations.org_id
    group by members_ever.coalition_id

)

select
    life.coalition_id,
    life.formed_at,
    life.dissolved_at,
    {{ whole_days('life.formed_at', 'coalesce(life.dissolved_at, ' ~ as_of() ~ ')') }} as lifespan_days,
    coalesce(summary.member_orgs_ever, 0) as member_orgs_ever,
    {{ list_length('life.members_at_end') }} as member_orgs_current,
    cast(summary.sectors_ever as double) / nullif(summary.registered_members_ever, 0) as sector_diversity,
    coalesce(summary.localities, 0) as localities,
    coalesce(summary.unregistered_member_org_ids, {{ empty_string_list() }}) as unregistered_member_org_ids
from life
left join summary using (coalition_id)
where life.formed_at is not null
