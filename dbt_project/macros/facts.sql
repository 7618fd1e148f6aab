{#- Typed facts are a pure function of their own event, so they can be
    materialised incrementally: each run appends only events that arrived
    after the newest one already there (event_seq grows with arrival).
    Whether a fact counts (as-of, retractions, its initiative) is decided
    downstream, on every run, so incremental == full refresh by construction. -#}
{% macro incremental_facts(staging_model) -%}
    select * from {{ ref(staging_model) }}
    {% if is_incremental() -%}
    where event_seq > (select coalesce(max(event_seq), 0) from {{ this }})
    {%- endif %}
{%- endmacro %}

{#- The effective facts of a typed fact model (as-of and retractions
    applied by joining the effective keys), each with whether the
    initiative it points at exists; only the facts of kind `fact` touched
    since the previous build when the model builds by touched keys
    (macros/touched_keys.sql). -#}
{% macro effective_facts_with_initiative(fact_model, fact) -%}
    select
        facts.*,
        initiatives.initiative_id is not null as initiative_exists
    from {{ touched_rows(fact_model, ['event_seq'], touched_facts(fact)) }} as facts
    inner join {{ ref('int_events__effective') }} using (event_seq)
    left join {{ ref('int_initiatives') }} as initiatives
        on initiatives.org_id = facts.initiative_org_id
        and initiatives.initiative_id = facts.initiative_id
{%- endmacro %}

{#- The envelope columns every typed staging model carries. -#}
{% macro typed_event_envelope() -%}
    event_seq,
        org_id,
        event_id,
        occurred_at,
        ingested_at
{%- endmacro %}
