{{ config(
    materialized=touched_keys_materialization(),
    meta={'touched_keys': true},
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ delete_touched(['org_id', 'event_id'], touched_facts('asset')) }}"
) }}
-- depends_on: {{ ref('int_touched_facts') }}

-- Effective asset.shared events with their value: value_eur when given,
-- else days x the day value of the asset type. Co-produced for the
-- initiative's organisation when another organisation shared it.
-- Kept by touched keys (macros/touched_keys.sql).
with

facts as (

    {{ effective_facts_with_initiative('int_facts__asset_shares', 'asset') }}

)

select
    facts.org_id,
    facts.event_id,
    facts.occurred_at,
    {{ month_of('facts.occurred_at') }} as month,
    facts.initiative_org_id,
    facts.initiative_id,
    facts.initiative_exists,
    facts.asset_id,
    facts.asset_type,
    facts.days,
    coalesce(
        facts.value_eur,
        facts.days * case facts.asset_type
            {%- for asset_type, price in var('asset_day_value_eur').items() %}
                when '{{ asset_type }}' then cast({{ price }} as decimal(38, 6))
            {%- endfor %}
        end
    ) as value_eur,
    facts.org_id <> facts.initiative_org_id as is_coproduced
from facts
