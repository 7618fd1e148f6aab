-- Coalitions: the fold of formed / joined / left / dissolved events in
-- occurred_at order (ties by arrival), whichever member emitted them.
with

changes as (

    select changes.*
    from {{ ref('stg_events__coalition_changes') }} as changes
    inner join {{ ref('int_events__effective') }} using (org_id, event_id)

),

formation as (

    select coalition_id, occurred_at as formed_at, event_seq as formed_seq
    from (
        select
            coalition_id, occurred_at, event_seq,
            row_number() over (partition by coalition_id order by occurred_at, event_seq) as nth
        from changes
        where change = 'formed'
    ) as ranked
    where nth = 1

),

after_formation as (

    -- the earliest formed event defines the founders; later formed events,
    -- and anything about a coalition before it was formed, are ignored
    select changes.*
    from changes
    inner join formation using (coalition_id)
    where changes.occurred_at >= formation.formed_at
        and (changes.change <> 'formed' or changes.event_seq = formation.formed_seq)

),

dissolution as (

    select coalition_id, min(occurred_at) as dissolved_at
    from after_formation
    where change = 'dissolved'
    group by coalition_id

),

life as (

    select after_formation.*
    from after_formation
    left join dissolution using (coalition_id)
    where dissolution.dissolved_at is null or after_formation.occurred_at <= dissolution.dissolved_at

),

membership as (

    select
        coalition_id,
        member_org_id,
        bool_or(change in ('formed', 'joined')) as ever_member,
        max_by(change, [epoch_us(occurred_at), event_seq]) as last_change
    from life
    where member_org_id is not null
    group by coalition_id, member_org_id

),

members as (

    select membership.*, organisations.sector, organisations.locality
    from membership
    left join {{ ref('dim_organisations') }} as organisations
        on organisations.org_id = membership.member_org_id

),

summary as (

    select
        coalition_id,
        count(*) filter (where ever_member) as member_orgs_ever,
        count(*) filter (where last_change in ('formed', 'joined')) as member_orgs_current,
        count(distinct sector) filter (where ever_member) as sectors_ever,
        count(distinct locality) filter (where ever_member) as localities
    from members
    group by coalition_id

)

select
    formation.coalition_id,
    formation.formed_at,
    dissolution.dissolved_at,
    {{ whole_days('formation.formed_at', 'coalesce(dissolution.dissolved_at, ' ~ as_of() ~ ')') }} as lifespan_days,
    coalesce(summary.member_orgs_ever, 0) as member_orgs_ever,
    coalesce(summary.member_orgs_current, 0) as member_orgs_current,
    cast(summary.sectors_ever as double) / nullif(summary.member_orgs_ever, 0) as sector_diversity,
    coalesce(summary.localities, 0) as localities
from formation
left join dissolution using (coalition_id)
left join summary using (coalition_id)
