{#- One row for each integer from `first` to `last` (expressions of the row),
    as a set-returning select item: the years an outcome lasts. -#}
{% macro each_integer(first, last) -%}
    {{ return(adapter.dispatch('each_integer', 'coopmetrics')(first, last)) }}
{%- endmacro %}

{% macro default__each_integer(first, last) -%}
    unnest(generate_series({{ first }}, {{ last }}))
{%- endmacro %}

{% macro spark__each_integer(first, last) -%}
    explode(sequence({{ first }}, {{ last }}))
{%- endmacro %}
