-- People active in each organisation per quarter, and the boundary spanners
-- among them (active in two or more organisations that quarter).
with

activity as (

    select * from {{ ref('int_person_quarters') }}

),

spanners as (

    select
        quarter,
        person_ref
    from activity
    group by quarter, person_ref
    having count(distinct org_id) >= 2

)

select
    activity.org_id,
    activity.quarter,
    count(*) as people_active,
    count(spanners.person_ref) as boundary_spanners,
    cast(count(spanners.person_ref) as double) / count(*) as boundary_spanner_share
from activity
left join spanners
    on activity.quarter = spanners.quarter
        and activity.person_ref = spanners.person_ref
group by activity.org_id, activity.quarter
