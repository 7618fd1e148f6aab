{#- JSON access is the one DuckDB-specific piece of the staging SQL: it is
    isolated here behind adapter.dispatch so another engine (Spark's
    get_json_object, Trino's json_extract_scalar) only adds an implementation. -#}

{% macro json_text(column, path) -%}
    {{ return(adapter.dispatch('json_text', 'coopmetrics')(column, path)) }}
{%- endmacro %}

{% macro default__json_text(column, path) -%}
    json_extract_string({{ column }}, '$.{{ path }}')
{%- endmacro %}

{% macro json_number(column, path) -%}
    cast({{ json_text(column, path) }} as decimal(18, 6))
{%- endmacro %}

{% macro json_double(column, path) -%}
    cast({{ json_text(column, path) }} as double)
{%- endmacro %}

{#- A `format: date` field (YYYY-MM-DD, checked at ingest): a date on every engine. -#}
{% macro json_date(column, path) -%}
    cast({{ json_text(column, path) }} as date)
{%- endmacro %}

{% macro json_int(column, path) -%}
    cast({{ json_text(column, path) }} as integer)
{%- endmacro %}

{#- The elements of a JSON array of strings, one row each. -#}
{% macro json_string_array_elements(column, path) -%}
    {{ return(adapter.dispatch('json_string_array_elements', 'coopmetrics')(column, path)) }}
{%- endmacro %}

{% macro default__json_string_array_elements(column, path) -%}
    unnest(json_extract_string({{ column }}, '$.{{ path }}[*]'))
{%- endmacro %}

{#- Spark reads JSON text with get_json_object and from_json. -#}
{% macro spark__json_text(column, path) -%}
    get_json_object({{ column }}, '$.{{ path }}')
{%- endmacro %}

{% macro spark__json_string_array_elements(column, path) -%}
    explode(from_json(get_json_object({{ column }}, '$.{{ path }}'), 'array<string>'))
{%- endmacro %}
