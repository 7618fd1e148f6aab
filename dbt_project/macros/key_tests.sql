{#- The event_seq up to which the key tests take rows as tested: what the
    pipeline's dbt step set in quality.key_tests for its own invocation
    (orchestration/transform/builds.py), 0 (every row) when dbt runs
    outside it or on an engine without that table. -#}
{% macro keys_checked_through() -%}
    {{ return(adapter.dispatch('keys_checked_through', 'coopmetrics')()) }}
{%- endmacro %}

{% macro default__keys_checked_through() -%}
    {%- set relation = adapter.get_relation(database=target.database, schema='quality',
                                            identifier='key_tests') -%}
    {%- if relation is none -%}
        0
    {%- else -%}
        (select coalesce(max(checked_through), 0) from {{ relation }})
    {%- endif -%}
{%- endmacro %}

{% macro spark__keys_checked_through() -%}
    0
{%- endmacro %}
