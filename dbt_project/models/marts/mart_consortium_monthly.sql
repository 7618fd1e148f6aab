-- One row per month from the first to the last month holding an effective
-- event: the consortium at a glance.
with

events as (

    select * from {{ ref('stg_events__effective') }}

),

initiatives as (

    select * from {{ ref('int_initiatives') }}

),

months as (

    {{ month_spine('select min(occurred_month) from events', 'select max(occurred_month) from events') }}

),

activity as (

    select occurred_month as month, count(distinct org_id) as orgs_active
    from events
    group by occurred_month

),

launches as (

    select launched_month as month, count(*) as initiatives_launched
    from initiatives
    group by launched_month

)

select
    months.month,
    coalesce(activity.orgs_active, 0) as orgs_active,
    coalesce(launches.initiatives_launched, 0) as initiatives_launched
from months
left join activity on months.month = activity.month
left join launches on months.month = launches.month
order by months.month
