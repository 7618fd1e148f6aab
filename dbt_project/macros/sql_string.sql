{#- A text as a SQL string literal: quotes doubled; Spark also reads
    backslashes as escapes, so they are doubled there. -#}
{% macro sql_string(text) -%}
    {{ return(adapter.dispatch('sql_string', 'coopmetrics')(text)) }}
{%- endmacro %}

{% macro default__sql_string(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}

{% macro spark__sql_string(text) -%}
    '{{ text | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}
