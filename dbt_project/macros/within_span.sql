{#- Whether an instant falls in a span [starts, ends), ends NULL while the
    span is open: a member, a seat at a table, a role, a coalition membership
    at that instant. The one test of "held at t" every model uses. -#}
{% macro within_span(instant, starts, ends) -%}
    {{ instant }} >= {{ starts }} and ({{ ends }} is null or {{ instant }} < {{ ends }})
{%- endmacro %}
