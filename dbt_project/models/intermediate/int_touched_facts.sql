{{ config(materialized='table') }}
-- depends_on: {{ ref('stg_events__events') }}
-- depends_on: {{ ref('stg_events__initiative_launched') }}
-- depends_on: {{ ref('stg_events__practice_replicated') }}
-- depends_on: {{ ref('stg_events__member_joined') }}
-- depends_on: {{ ref('stg_events__member_left') }}

-- The facts whose rows this build writes again in the tables kept by touched
-- keys (macros/touched_keys.sql), of every kind, with the initiative month
-- each adds to. Worked out once a build: each of those tables reads it twice
-- (what to delete, what to compute again). Empty when the build is whole.
{%- set facts = [('contribution', 'int_facts__contributions', true), ('asset', 'int_facts__asset_shares', false),
                 ('resource', 'int_facts__resources', false), ('feedback', 'int_facts__feedback', false)] %}
{%- set by_keys = built_through() > 0 %}
with
{% if by_keys %}
retracted as (

    {{ retracted_after_build() }}

),

initiatives as (

    {{ initiatives_touched('retracted') }}

),

members as (

    {{ members_touched('retracted') }}

),
{% endif %}
touched as (
    {% for fact, fact_model, by_member in facts %}
        select
            '{{ fact }}' as fact,
            event_seq,
            org_id,
            event_id,
            initiative_org_id,
            initiative_id,
            {{ month_of('occurred_at') }} as month
        {%- if by_keys %}
        from ({{ facts_touched(fact_model, 'retracted', 'initiatives', 'members' if by_member else none) }}) as touched
        {%- else %}
            from {{ ref(fact_model) }}
            where false
        {%- endif %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select distinct * from touched
