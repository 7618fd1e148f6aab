{#- Lists (DuckDB) and arrays (Spark): the few operations the coalition
    fold needs, one implementation an engine behind adapter.dispatch. -#}

{#- The distinct non-null values of an expression over a group. -#}
{% macro distinct_list_agg(expr) -%}
    {{ return(adapter.dispatch('distinct_list_agg', 'coopmetrics')(expr)) }}
{%- endmacro %}

{% macro default__distinct_list_agg(expr) -%}
    list_distinct(list({{ expr }}) filter (where {{ expr }} is not null))
{%- endmacro %}

{% macro spark__distinct_list_agg(expr) -%}
    array_distinct(collect_list({{ expr }}))
{%- endmacro %}

{% macro empty_string_list() -%}
    {{ return(adapter.dispatch('empty_string_list', 'coopmetrics')()) }}
{%- endmacro %}

{% macro default__empty_string_list() -%}
    cast([] as varchar[])
{%- endmacro %}

{% macro spark__empty_string_list() -%}
    cast(array() as array<string>)
{%- endmacro %}

{#- The first element (lists count from 1 in DuckDB, from 0 in Spark). -#}
{% macro list_first(list_expr) -%}
    {{ return(adapter.dispatch('list_first', 'coopmetrics')(list_expr)) }}
{%- endmacro %}

{% macro default__list_first(list_expr) -%}
    {{ list_expr }}[1]
{%- endmacro %}

{% macro spark__list_first(list_expr) -%}
    element_at({{ list_expr }}, 1)
{%- endmacro %}

{% macro list_with(list_expr, value) -%}
    {{ return(adapter.dispatch('list_with', 'coopmetrics')(list_expr, value)) }}
{%- endmacro %}

{% macro default__list_with(list_expr, value) -%}
    list_distinct(list_append({{ list_expr }}, {{ value }}))
{%- endmacro %}

{% macro spark__list_with(list_expr, value) -%}
    array_distinct(concat({{ list_expr }}, array({{ value }})))
{%- endmacro %}

{% macro list_without(list_expr, value) -%}
    {{ return(adapter.dispatch('list_without', 'coopmetrics')(list_expr, value)) }}
{%- endmacro %}

{% macro default__list_without(list_expr, value) -%}
    list_filter({{ list_expr }}, lambda m: m <> {{ value }})
{%- endmacro %}

{% macro spark__list_without(list_expr, value) -%}
    filter({{ list_expr }}, m -> m <> {{ value }})
{%- endmacro %}

{% macro list_has(list_expr, value) -%}
    {{ return(adapter.dispatch('list_has', 'coopmetrics')(list_expr, value)) }}
{%- endmacro %}

{% macro default__list_has(list_expr, value) -%}
    list_contains({{ list_expr }}, {{ value }})
{%- endmacro %}

{% macro spark__list_has(list_expr, value) -%}
    array_contains({{ list_expr }}, {{ value }})
{%- endmacro %}

{% macro list_length(list_expr) -%}
    {{ return(adapter.dispatch('list_length', 'coopmetrics')(list_expr)) }}
{%- endmacro %}

{% macro default__list_length(list_expr) -%}
    len({{ list_expr }})
{%- endmacro %}

{% macro spark__list_length(list_expr) -%}
    size({{ list_expr }})
{%- endmacro %}

{#- One row an element, in a select list. -#}
{% macro list_elements(list_expr) -%}
    {{ return(adapter.dispatch('list_elements', 'coopmetrics')(list_expr)) }}
{%- endmacro %}

{% macro default__list_elements(list_expr) -%}
    unnest({{ list_expr }})
{%- endmacro %}

{% macro spark__list_elements(list_expr) -%}
    explode({{ list_expr }})
{%- endmacro %}

{#- A list in ascending order: the same cells on both engines. -#}
{% macro list_sorted(list_expr) -%}
    {{ return(adapter.dispatch('list_sorted', 'coopmetrics')(list_expr)) }}
{%- endmacro %}

{% macro default__list_sorted(list_expr) -%}
    list_sort({{ list_expr }})
{%- endmacro %}

{% macro spark__list_sorted(list_expr) -%}
    array_sort({{ list_expr }})
{%- endmacro %}
