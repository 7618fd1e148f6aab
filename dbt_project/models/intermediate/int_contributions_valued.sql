{{ config(
    materialized=touched_keys_materialization(),
    meta={'touched_keys': true},
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ delete_touched(['event_seq'], touched_facts('contribution')) }}"
) }}
-- depends_on: {{ ref('int_touched_facts') }}

-- Effective contributions with their value (docs/metrics.md "Valuation"), whether
-- their initiative exists, whether they are external, and the contributing
-- organisation. Person-level: internal, never extracted. Kept by touched keys
-- (macros/touched_keys.sql): a contribution's row moves with its event, its
-- initiative's existence and its person's membership spans.
with

facts as (

    {{ effective_facts_with_initiative('int_facts__contributions', 'contribution') }}

),

members_at_the_time as (

    -- the contributions whose person was a member of the initiative's
    -- organisation when they were made: a join probing the few membership
    -- spans, where a correlated exists() made DuckDB group every
    -- contribution by its correlated columns
    select distinct contributions.event_seq
    from {{ touched_rows('int_facts__contributions', ['event_seq'], touched_facts('contribution')) }} as contributions
    inner join {{ ref('int_memberships') }} as spans
        on contributions.initiative_org_id = spans.org_id
            and contributions.person_ref = spans.person_ref
            and {{ within_span('contributions.occurred_at', 'spans.started_at', 'spans.ended_at') }}

),

classified as (

    select
        facts.*,
        members_at_the_time.event_seq is not null as member_at_the_time
    from facts
    left join members_at_the_time using (event_seq)

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
        when 'hour' then amount * cast({{ var('hour_value_eur') }} as decimal(38, 6))
        when 'm2_day' then amount * cast({{ var('m2_day_value_eur') }} as decimal(38, 6))
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
