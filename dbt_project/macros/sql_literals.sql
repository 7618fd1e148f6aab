{#- A list of values (an enum of a schema) as SQL literals, comma-separated:
    texts quoted, numbers as they are. -#}
{% macro sql_literals(values) -%}
    {%- for value in values -%}
        {{ sql_string(value) if value is string else value }}{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
