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
