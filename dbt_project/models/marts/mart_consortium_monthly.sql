-- One row per month from the first to the last month holding an effective
-- event: the consortium at a glance.
with

events as (

    select * from {{ ref('int_events__effective') }}

),

months as (

    {{ month_spine('select min(occurred_month) from ' ~ ref('int_events__effective'),
                   'select max(occurred_month) from ' ~ ref('int_events__effective')) }}

),

activity as (

    select
        occurred_month as month,
        count(distinct org_id) as orgs_active
    from events
    group by occurred_month

),

launches as (

    select
        launched_month as month,
        count(*) as initiatives_launched
    from {{ ref('int_initiatives') }}
    group by launched_month

),

edges as (

    select
        child_launched_month as month,
        count(*) as spillover_edges,
        count(*) filter (where parent_org_id <> child_org_id) as cross_org_spillover_edges
    from {{ ref('int_spillover_edges') }}
    where rejection_reason is null
    group by child_launched_month

),

value as (

    select
        month,
        sum(own_value_eur) as own_value_eur,
        sum(coproduced_value_eur) as coproduced_value_eur,
        sum(total_value_eur) as total_value_eur,
        sum(feedback_score_sum) as feedback_score_sum,
        sum(feedback_count) as feedback_count
    from {{ ref('int_initiative_months') }}
    group by month

),

instants as (

    -- the last instant of each month, or as_of for the month holding it
    select
        month,
        least({{ last_instant('month', 1) }}, {{ as_of() }}) as at
    from months

),

members as (

    select
        instants.month,
        count(distinct spans.person_ref) as active_members
    from instants
    inner join {{ ref('int_memberships') }} as spans
        on {{ within_span('instants.at', 'spans.started_at', 'spans.ended_at') }}
    group by instants.month

)

select
    months.month,
    coalesce(activity.orgs_active, 0) as orgs_active,
    coalesce(launches.initiatives_launched, 0) as initiatives_launched,
    coalesce(edges.spillover_edges, 0) as spillover_edges,
    coalesce(edges.cross_org_spillover_edges, 0) as cross_org_spillover_edges,
    {{ money('coalesce(value.total_value_eur, 0)') }} as total_value_eur,
    {{ money('coalesce(value.coproduced_value_eur, 0)') }} as coproduced_value_eur,
    cast(value.coproduced_value_eur as double)
    / nullif(cast(value.own_value_eur + value.coproduced_value_eur as double), 0) as coproduction_ratio,
    coalesce(members.active_members, 0) as active_members,
    cast(value.feedback_score_sum as double) / nullif(value.feedback_count, 0) as feedback_score_avg
from months
left join activity on months.month = activity.month
left join launches on months.month = launches.month
left join edges on months.month = edges.month
left join value on months.month = value.month
left join members on months.month = members.month
order by months.month
