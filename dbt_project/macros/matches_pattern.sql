{#- Whether a column's text has a match of a JSON Schema pattern (which is
    not anchored: `^` and `$` say where it is), as a condition. -#}
{% macro matches_pattern(column, pattern) -%}
    {{ return(adapter.dispatch('matches_pattern', 'coopmetrics')(column, pattern)) }}
{%- endmacro %}

{% macro default__matches_pattern(column, pattern) -%}
    regexp_matches(cast({{ column }} as varchar), {{ sql_string(pattern) }})
{%- endmacro %}

{% macro spark__matches_pattern(column, pattern) -%}
    (cast({{ column }} as string) rlike {{ sql_string(pattern) }})
{%- endmacro %}
