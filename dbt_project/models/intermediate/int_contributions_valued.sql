{{ config(materialized='table') }}

-- Effective contributions with their value (docs/metrics.md "Valuation"), whether
-- their initiative exists, whether they are external, and the contributing
-- organisation. Person-level: internal, never extracted.
with

facts as (

    {{ effective_facts_with_initiative('int_facts__contributions') }}

),

classified as (

    select
        facts.*,
        exists(
            select 1
            from {{ ref('int_memberships') }} as spans
            where spans.org_id = facts.initiative_org_id
                and spans.person_ref = facts.person_ref
                and spans.started_at <= facts.occurred_at
                and (spans.ended_at is null or spans.ended_at > facts.occurred_at)
        ) as member_at_the_time
    from facts

)

select
    org_id,
    event_id,
    event_seq,
    occurred_at,
    {{ month_of('occurred_at') }} as month,
    {{ quarter_of('occurred_at') }} as quarter,
    initiative_org_id,
    initiative_id,
    initiative_exists,
    person_ref,
    kind,
    amount,
    unit,
    case unit
        when 'eur' then amount
        when 'hour' then amount * cast({{ var('hour_value_eur') }} as decimal(18, 6))
        when 'm2_day' then amount * cast({{ var('m2_day_value_eur') }} as decimal(18, 6))
    end as value_eur,
    case
        when contributor_org_id is not null then contributor_org_id <> initiative_org_id
        else not member_at_the_time
    end as is_external,
    coalesce(
        contributor_org_id,
        case when member_at_the_time then initiative_org_id else 'community' end
    ) as contributing_org_id
from classified
