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
select
    org_id,
    initiative_id,
    month,
    sum(own_value_eur) as own_value_eur,
    sum(coproduced_value_eur) as coproduced_value_eur,
    sum(resources_eur) as resources_eur,
    sum(own_value_eur) + sum(coproduced_value_eur) + sum(resources_eur) as total_value_eur,
    count(distinct contributing_org_id) as contributing_orgs,
    count(distinct person_ref) as contributors,
    count(score) as feedback_count,
    sum(score) as feedback_score_sum
from {{ ref('int_initiative_facts') }}
{{ where_touched(ref('int_initiative_facts'), ['org_id', 'initiative_id', 'month'], initiative_months_touched())
    if by_touched_keys() }}
group by org_id, initiative_id, month
