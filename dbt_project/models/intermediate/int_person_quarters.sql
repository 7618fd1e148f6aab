{{ config(materialized='table') }}

-- Who was active in which organisation in which quarter: an active member
-- at any time in it (membership spans, open ones ending at as_of), or a
-- contributor to one of its existing initiatives in it. Person-level:
-- internal, never leaves the warehouse.
with

spans as (

    select
        org_id,
        person_ref,
        started_at,
        coalesce(ended_at, {{ as_of() }}) as ends_at,
        ended_at is null as is_open
    from {{ ref('int_memberships') }}

),

quarters as (

    {{ period_spine(
        'select min(' ~ quarter_of('started_at') ~ ') from ' ~ ref('int_memberships'),
        'select ' ~ quarter_of(as_of()),
        3, 'quarter') }}

),

members as (

    -- active at some instant of [quarter, next quarter): an open span is
    -- active up to and including as_of
    select distinct
        spans.org_id,
        quarters.quarter,
        spans.person_ref
    from spans
    inner join quarters
        on spans.started_at < cast(quarters.quarter as timestamp) + interval 3 month
            and (
                spans.ends_at > cast(quarters.quarter as timestamp)
                or (spans.is_open and spans.ends_at >= cast(quarters.quarter as timestamp))
            )
            and spans.started_at <= spans.ends_at

),

contributors as (

    select distinct
        initiative_org_id as org_id,
        quarter,
        person_ref
    from {{ ref('int_contributions_valued') }}
    where initiative_exists

)

select
    org_id,
    quarter,
    person_ref
from members
union
select
    org_id,
    quarter,
    person_ref
from contributors
