{#- The calendar year (UTC) of a date or timestamp, as its first day. -#}
{% macro year_of(expr) -%}
    cast({{ dbt.date_trunc('year', expr) }} as date)
{%- endmacro %}
