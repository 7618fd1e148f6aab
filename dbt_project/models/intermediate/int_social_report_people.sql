-- The people figures of the social report per scope (an organisation, or
-- the consortium) and year: members at year end by role, joins and leaves,
-- volunteer hours. The consortium counts each person once across
-- organisations (people are matched by person_ref), and under each role
-- they hold somewhere; its volunteer hours are the organisations' sum.
-- Person-level inputs; only counts leave this model.
with

members_at_end as (

    select
        roles.org_id,
        years.year,
        roles.person_ref,
        roles.role
    from {{ ref('int_years') }} as years
    inner join {{ ref('int_member_roles') }} as roles
        on {{ within_span('years.ends_at', 'roles.started_at', 'roles.ended_at') }}

),

changes as (

    select
        org_id,
        {{ year_of('occurred_at') }} as year,
        person_ref,
        change
    from {{ ref('int_member_changes') }}

),

volunteering as (

    -- hours given to an organisation's initiatives by people who were not its workers at the time
    select
        contributions.initiative_org_id as org_id,
        {{ year_of('contributions.occurred_at') }} as year,
        sum(contributions.amount) as volunteer_hours
    from {{ ref('int_contributions_valued') }} as contributions
    left join {{ ref('int_member_roles') }} as workers
        on contributions.initiative_org_id = workers.org_id
            and contributions.person_ref = workers.person_ref
            and workers.role = 'worker'
            and {{ within_span('contributions.occurred_at', 'workers.started_at', 'workers.ended_at') }}
    where contributions.initiative_exists and contributions.unit = 'hour' and workers.person_ref is null
    group by contributions.initiative_org_id, {{ year_of('contributions.occurred_at') }}

),

scoped_members as (

    select
        org_id as scope,
        year,
        person_ref,
        role
    from members_at_end
    union all
    select
        'consortium' as scope,
        year,
        person_ref,
        role
    from members_at_end

),

scoped_changes as (

    -- an organisation counts events, the consortium distinct people
    select
        org_id as scope,
        year,
        change,
        count(*) as people
    from changes
    group by org_id, year, change

    union all

    select
        'consortium' as scope,
        year,
        change,
        count(distinct person_ref) as people
    from changes
    group by year, change

),

scoped_volunteering as (

    select
        org_id as scope,
        year,
        volunteer_hours
    from volunteering
    union all
    select
        'consortium' as scope,
        year,
        sum(volunteer_hours) as volunteer_hours
    from volunteering
    group by year

),

member_counts as (

    select
        scope,
        year,
        {%- for role in contract_values('member.joined', 'role') %}
            count(distinct case when role = '{{ role }}' then person_ref end) as members_{{ role }},
        {%- endfor %}
        count(distinct person_ref) as members_total
    from scoped_members
    group by scope, year

),

scopes as (

    select org_id as scope from {{ ref('stg_registry__organisations') }}
    union all
    select 'consortium' as scope

)

select
    scopes.scope,
    years.year,
    {%- for role in contract_values('member.joined', 'role') %}
        coalesce(member_counts.members_{{ role }}, 0) as members_{{ role }},
    {%- endfor %}
    coalesce(member_counts.members_total, 0) as members_total,
    coalesce(joins.people, 0) as members_joined,
    coalesce(leaves.people, 0) as members_left,
    cast(coalesce(scoped_volunteering.volunteer_hours, 0) as decimal(38, 6)) as volunteer_hours
from scopes
cross join {{ ref('int_years') }} as years
left join member_counts
    on scopes.scope = member_counts.scope and years.year = member_counts.year
left join scoped_changes as joins
    on scopes.scope = joins.scope and years.year = joins.year and joins.change = 'joined'
left join scoped_changes as leaves
    on scopes.scope = leaves.scope and years.year = leaves.year and leaves.change = 'left'
left join scoped_volunteering
    on scopes.scope = scoped_volunteering.scope and years.year = scoped_volunteering.year
