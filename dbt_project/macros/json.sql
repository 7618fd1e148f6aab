{#- JSON access is the one DuckDB-specific piece of the staging SQL: it is
    isolated here behind adapter.dispatch so another engine (Spark's
    get_json_object, Trino's json_extract_scalar) only adds an implementation. -#}

{% macro json_text(column, path) -%}
    {{ return(adapter.dispatch('json_text', 'coopmetrics')(column, path)) }}
{%- endmacro %}

{% macro default__json_text(column, path) -%}
    json_extract_string({{ column }}, '$.{{ path }}')
{%- endmacro %}

{#- A field's text as the type its accessor names (the contract's staging
    columns: json_text as it is, json_number, json_int, json_date). A
    `format: date` field (YYYY-MM-DD, checked at ingest) is a date on every
    engine. -#}
{% macro json_text_as(accessor, text) -%}
    {%- set types = {'json_number': 'decimal(18, 6)', 'json_date': 'date', 'json_int': 'integer'} -%}
    {%- if accessor == 'json_text' -%}
        {{ text }}
    {%- else -%}
        cast({{ text }} as {{ types[accessor] }})
    {%- endif -%}
{%- endmacro %}

{#- The texts of several fields at once, as a list (read with json_texts_at):
    DuckDB parses the document once for all of them, where one
    json_extract_string a field parses it again for each (1.5-1.9x on the
    contributions at 10M events). -#}
{% macro json_texts(column, paths) -%}
    {{ return(adapter.dispatch('json_texts', 'coopmetrics')(column, paths)) }}
{%- endmacro %}

{% macro default__json_texts(column, paths) -%}
    json_extract_string({{ column }}, [{% for path in paths %}'$.{{ path }}'{{ ', ' if not loop.last }}{% endfor %}])
{%- endmacro %}

{#- The text of the `position`-th field (from 1) of a json_texts list. -#}
{% macro json_texts_at(texts, position) -%}
    {{ return(adapter.dispatch('json_texts_at', 'coopmetrics')(texts, position)) }}
{%- endmacro %}

{% macro default__json_texts_at(texts, position) -%}
    {{ texts }}[{{ position }}]
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

{% macro spark__json_texts(column, paths) -%}
    array({% for path in paths %}get_json_object({{ column }}, '$.{{ path }}'){{ ', ' if not loop.last }}{% endfor %})
{%- endmacro %}

{% macro spark__json_texts_at(texts, position) -%}
    element_at({{ texts }}, {{ position }})
{%- endmacro %}
