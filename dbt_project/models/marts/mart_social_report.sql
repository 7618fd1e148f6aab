-- The figures of the Italian social report (bilancio sociale, DM 4 luglio
-- 2019) per scope and year: each registered organisation, and the
-- consortium consolidated (people once, coalitions and tables distinct).
-- See mart_social_report.yml.
with

initiatives as (

    select
        initiatives.org_id,
        years.year,
        count(*) filter (
            where initiatives.launched_at <= years.ends_at
            and (initiatives.closed_at is null or initiatives.closed_at >= cast(years.year as timestamp))
        ) as initiatives_active,
        count(*) filter (where {{ year_of('initiatives.launched_at') }} = years.year) as initiatives_launched,
        count(*) filter (where {{ year_of('initiatives.closed_at') }} = years.year) as initiatives_closed
    from {{ ref('int_years') }} as years
    cross join {{ ref('dim_initiatives') }} as initiatives
    group by initiatives.org_id, years.year

),

outcomes as (

    select
        initiative_org_id as org_id,
        year,
        sum(quantity) as beneficiary_outcomes
    from {{ ref('int_outcome_reports') }}
    where rejection is null and stakeholder_type = 'beneficiary'
    group by initiative_org_id, year

),

feedback as (

    select
        initiative_org_id as org_id,
        {{ year_of('month') }} as year,
        sum(score) as score_sum,
        count(*) as scores
    from {{ ref('int_feedback_valid') }}
    where initiative_exists
    group by initiative_org_id, {{ year_of('month') }}

),

value as (

    select
        org_id,
        {{ year_of('month') }} as year,
        sum(coproduced_value_eur) as coproduced_value_eur,
        sum(total_value_eur) as total_value_eur
    from {{ ref('int_initiative_months') }}
    group by org_id, {{ year_of('month') }}

),

resources as (

    select
        initiative_org_id as org_id,
        {{ year_of('month') }} as year,
        sum(case when source_type = 'public_grant' then amount_eur else 0 end) as resources_public_eur,
        sum(case when source_type in ('private_donation', 'crowdfunding') then amount_eur else 0 end)
            as resources_private_eur,
        sum(case when source_type = 'member_fees' then amount_eur else 0 end) as resources_members_eur,
        sum(case when source_type = 'earned_income' then amount_eur else 0 end) as resources_earned_eur,
        sum(case when source_type = 'partner_org' then amount_eur else 0 end) as resources_partners_eur
    from {{ ref('int_resources_valid') }}
    where initiative_exists
    group by initiative_org_id, {{ year_of('month') }}

),

by_org as (

    select
        years.year,
        organisations.org_id,
        coalesce(initiatives.initiatives_active, 0) as initiatives_active,
        coalesce(initiatives.initiatives_launched, 0) as initiatives_launched,
        coalesce(initiatives.initiatives_closed, 0) as initiatives_closed,
        coalesce(outcomes.beneficiary_outcomes, 0) as beneficiary_outcomes,
        coalesce(feedback.score_sum, 0) as score_sum,
        coalesce(feedback.scores, 0) as scores,
        coalesce(value.coproduced_value_eur, 0) as coproduced_value_eur,
        coalesce(value.total_value_eur, 0) as total_value_eur,
        coalesce(resources.resources_public_eur, 0) as resources_public_eur,
        coalesce(resources.resources_private_eur, 0) as resources_private_eur,
        coalesce(resources.resources_members_eur, 0) as resources_members_eur,
        coalesce(resources.resources_earned_eur, 0) as resources_earned_eur,
        coalesce(resources.resources_partners_eur, 0) as resources_partners_eur
    from {{ ref('int_years') }} as years
    cross join {{ ref('stg_registry__organisations') }} as organisations
    left join initiatives
        on organisations.org_id = initiatives.org_id and years.year = initiatives.year
    left join outcomes
        on organisations.org_id = outcomes.org_id and years.year = outcomes.year
    left join feedback
        on organisations.org_id = feedback.org_id and years.year = feedback.year
    left join value
        on organisations.org_id = value.org_id and years.year = value.year
    left join resources
        on organisations.org_id = resources.org_id and years.year = resources.year

),

figures as (

    -- the organisations' figures, and their sums for the consortium
    select
        by_org.org_id as scope,
        by_org.*
    from by_org

    union all

    select
        'consortium' as scope,
        year,
        'consortium' as org_id,
        cast(sum(initiatives_active) as bigint),
        cast(sum(initiatives_launched) as bigint),
        cast(sum(initiatives_closed) as bigint),
        sum(beneficiary_outcomes),
        sum(score_sum),
        cast(sum(scores) as bigint),
        sum(coproduced_value_eur),
        sum(total_value_eur),
        sum(resources_public_eur),
        sum(resources_private_eur),
        sum(resources_members_eur),
        sum(resources_earned_eur),
        sum(resources_partners_eur)
    from by_org
    group by year

),

network_ties as (

    -- coalitions and tables at year end, for the organisation and for the consortium
    select
        years.year,
        spans.org_id,
        'coalition' as kind,
        spans.coalition_id as tie_id
    from {{ ref('int_years') }} as years
    inner join {{ ref('int_coalition_memberships') }} as spans
        on {{ within_span('years.ends_at', 'spans.joined_at', 'spans.left_at') }}

    union all

    select
        years.year,
        seats.org_id,
        'table' as kind,
        seats.table_id as tie_id
    from {{ ref('int_years') }} as years
    inner join {{ ref('int_policy_tables') }} as seats
        on {{ within_span('years.ends_at', 'seats.joined_at', 'seats.left_at') }}

),

network as (

    select
        scope,
        year,
        count(distinct case when kind = 'coalition' then tie_id end) as coalitions_active,
        count(distinct case when kind = 'table' then tie_id end) as tables_held
    from (
        select
            org_id as scope,
            year,
            kind,
            tie_id
        from network_ties
        union all
        select
            'consortium' as scope,
            year,
            kind,
            tie_id
        from network_ties
    ) as scoped
    group by scope, year

),

spillovers as (

    select
        scope,
        year,
        count(*) as spillovers_originated
    from (
        select
            parent_org_id as scope,
            {{ year_of('child_launched_at') }} as year
        from {{ ref('int_spillover_edges') }}
        where rejection_reason is null and parent_org_id <> child_org_id
        union all
        select
            'consortium' as scope,
            {{ year_of('child_launched_at') }} as year
        from {{ ref('int_spillover_edges') }}
        where rejection_reason is null and parent_org_id <> child_org_id
    ) as edges
    group by scope, year

)

select
    people.scope,
    people.year,
    {%- for role in contract_values('member.joined', 'role') %}
        people.members_{{ role }},
    {%- endfor %}
    people.members_total,
    people.members_joined,
    people.members_left,
    people.volunteer_hours,
    {{ money('people.volunteer_hours * cast(' ~ var('hour_value_eur') ~ ' as decimal(38, 6))') }}
        as volunteer_value_eur,
    figures.initiatives_active,
    figures.initiatives_launched,
    figures.initiatives_closed,
    figures.beneficiary_outcomes,
    cast(figures.score_sum as double) / nullif(figures.scores, 0) as feedback_score_avg,
    {{ money('figures.coproduced_value_eur') }} as coproduced_value_eur,
    {{ money('figures.total_value_eur') }} as total_value_eur,
    {{ money('figures.resources_public_eur') }} as resources_public_eur,
    {{ money('figures.resources_private_eur') }} as resources_private_eur,
    {{ money('figures.resources_members_eur') }} as resources_members_eur,
    {{ money('figures.resources_earned_eur') }} as resources_earned_eur,
    {{ money('figures.resources_partners_eur') }} as resources_partners_eur,
    coalesce(network.coalitions_active, 0) as coalitions_active,
    coalesce(network.tables_held, 0) as tables_held,
    coalesce(spillovers.spillovers_originated, 0) as spillovers_originated
from {{ ref('int_social_report_people') }} as people
inner join figures
    on people.scope = figures.scope and people.year = figures.year
left join network
    on people.scope = network.scope and people.year = network.year
left join spillovers
    on people.scope = spillovers.scope and people.year = spillovers.year
