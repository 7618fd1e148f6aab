{#- A quarter (its first day) as a whole number that grows by one a quarter,
    so that "the previous quarter" is n - 1 on every engine, without date
    arithmetic whose types differ between them. -#}
{% macro quarter_number(quarter_expr) -%}
    cast(year({{ quarter_expr }}) * 4 + (month({{ quarter_expr }}) - 1) / 3 as integer)
{%- endmacro %}
