{#- The event_seq up to which the key tests take rows as tested: what the
    pipeline's dbt step set in quality.key_tests for its own invocation
    (orchestration/transform/builds.py), 0 (every row) when dbt runs
    outside it or on an engine without that table. Read when the test is
    compiled, so that a test with nothing to take as tested is the plain
    aggregate, not a join of every key with every key. -#}
{% macro keys_checked_through() -%}
    {{ return(adapter.dispatch('keys_checked_through', 'coopmetrics')()) }}
{%- endmacro %}

{% macro default__keys_checked_through() -%}
    {%- if not execute -%}
        {{ return(0) }}
    {%- endif -%}
    {%- set relation = adapter.get_relation(database=target.database, schema='quality',
                                            identifier='key_tests') -%}
    {%- if relation is none -%}
        {{ return(0) }}
    {%- endif -%}
    {%- set found = run_query('select coalesce(max(checked_through), 0) from ' ~ relation) -%}
    {{ return(found.columns[0].values()[0] | int) }}
{%- endmacro %}

{% macro spark__keys_checked_through() -%}
    {{ return(0) }}
{%- endmacro %}
