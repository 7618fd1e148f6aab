-- Whether people and organisations keep coming back, per quarter: see
-- mart_consortium_health.yml.
with

contributions as (

    select * from {{ ref('int_contributions_valued') }}
    where initiative_exists

),

person_quarters as (

    select distinct
        person_ref,
        {{ quarter_number('quarter') }} as n
    from contributions

),

first_person_quarters as (

    select
        person_ref,
        min(n) as first_n
    from person_quarters
    group by person_ref

),

people as (

    select
        quarters.n,
        count(distinct person_quarters.person_ref) as people_contributing,
        count(distinct firsts.person_ref) as new_people
    from {{ ref('int_quarters') }} as quarters
    inner join person_quarters
        on quarters.n = person_quarters.n
    left join first_person_quarters as firsts
        on person_quarters.person_ref = firsts.person_ref
            and person_quarters.n = firsts.first_n
    group by quarters.n

),

retained as (

    -- people contributing in the previous quarter and in this one
    select
        this_quarter.n,
        count(*) as people_retained
    from person_quarters as this_quarter
    inner join person_quarters as previous_quarter
        on this_quarter.person_ref = previous_quarter.person_ref
            and this_quarter.n = previous_quarter.n + 1
    group by this_quarter.n

),

lapsed as (

    -- people whose first contribution is two quarters back or more: inactive
    -- unless they contributed in this quarter or the previous one
    select
        quarters.n,
        count(*) as people_before
    from {{ ref('int_quarters') }} as quarters
    inner join first_person_quarters as firsts
        on firsts.first_n <= quarters.n - 2
    group by quarters.n

),

recent as (

    select
        recent_quarters.n,
        count(distinct recent_quarters.person_ref) as people_recent
    from (
        select
            person_ref,
            n
        from person_quarters
        union all
        select
            person_ref,
            n + 1 as n
        from person_quarters
    ) as recent_quarters
    inner join first_person_quarters as firsts
        on recent_quarters.person_ref = firsts.person_ref
            and firsts.first_n <= recent_quarters.n - 2
    group by recent_quarters.n

),

org_quarters as (

    select distinct
        contributing_org_id,
        quarter
    from contributions

),

first_org_quarters as (

    select
        contributing_org_id,
        min(quarter) as first_quarter
    from org_quarters
    group by contributing_org_id

),

orgs as (

    select
        org_quarters.quarter,
        count(*) as orgs_contributing,
        count(*) filter (
            where org_quarters.contributing_org_id <> 'community' and org_quarters.quarter = firsts.first_quarter
        ) as new_orgs_contributing
    from org_quarters
    inner join first_org_quarters as firsts
        on org_quarters.contributing_org_id = firsts.contributing_org_id
    group by org_quarters.quarter

)

select
    quarters.quarter,
    coalesce(people.people_contributing, 0) as people_contributing,
    coalesce(people.new_people, 0) as new_people,
    cast(coalesce(retained.people_retained, 0) as double) / nullif(previous.people_contributing, 0)
        as retained_share,
    coalesce(lapsed.people_before, 0) - coalesce(recent.people_recent, 0) as inactive_people,
    coalesce(orgs.orgs_contributing, 0) as orgs_contributing,
    coalesce(orgs.new_orgs_contributing, 0) as new_orgs_contributing
from {{ ref('int_quarters') }} as quarters
left join people
    on quarters.n = people.n
left join people as previous
    on quarters.n = previous.n + 1
left join retained
    on quarters.n = retained.n
left join lapsed
    on quarters.n = lapsed.n
left join recent
    on quarters.n = recent.n
left join orgs
    on quarters.quarter = orgs.quarter
