{{ config(
    materialized=touched_keys_materialization(),
    meta={'touched_keys': true},
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ delete_touched(['org_id', 'initiative_id', 'month'], initiative_months_touched()) }}"
) }}
-- depends_on: {{ ref('int_touched_facts') }}

-- Unrounded sums per initiative and month (rounding happens only at a
-- mart's output columns). Kept by touched keys (macros/touched_keys.sql): an
-- initiative's month is summed again when any of its facts in it was touched.
-- The distinct counts read the contributions alone (no other fact has a
-- person or a contributing organisation): over every fact, their hash tables
-- took half the model's time at 10M events. The facts are read once for
-- each aggregate, not through one CTE: DuckDB would write every fact out to
-- read it twice.
{%- set facts -%}
    (
        select * from {{ ref('int_initiative_facts') }}
        {{ where_touched(ref('int_initiative_facts'), ['org_id', 'initiative_id', 'month'],
                         initiative_months_touched()) if by_touched_keys() }}
    )
{%- endset %}
with

summed as (

    select
        org_id,
        initiative_id,
        month,
        sum(own_value_eur) as own_value_eur,
        sum(coproduced_value_eur) as coproduced_value_eur,
        sum(resources_eur) as resources_eur,
        sum(own_value_eur) + sum(coproduced_value_eur) + sum(resources_eur) as total_value_eur,
        count(score) as feedback_count,
        sum(score) as feedback_score_sum
    from {{ facts }} as facts
    group by org_id, initiative_id, month

),

contributed as (

    select
        org_id,
        initiative_id,
        month,
        count(distinct contributing_org_id) as contributing_orgs,
        count(distinct person_ref) as contributors
    from {{ facts }} as facts
    where fact = 'contribution'
    group by org_id, initiative_id, month

)

select
    summed.org_id,
    summed.initiative_id,
    summed.month,
    summed.own_value_eur,
    summed.coproduced_value_eur,
    summed.resources_eur,
    summed.total_value_eur,
    coalesce(contributed.contributing_orgs, 0) as contributing_orgs,
    coalesce(contributed.contributors, 0) as contributors,
    summed.feedback_count,
    summed.feedback_score_sum
from summed
left join contributed
    on summed.org_id = contributed.org_id
        and summed.initiative_id = contributed.initiative_id
        and summed.month = contributed.month
