{#- A bound the pipeline's dbt step sets for its own invocation in a
    one-row table of the quality schema (orchestration/transform/builds.py)
    and sets back to 0 after it: 0 when dbt runs outside the pipeline, when
    the table is not there, or on an engine without it (Spark). Read when
    the model or test is compiled, so that what it compiles to can depend
    on it. Both bounds (built_through, keys_checked_through) come from here. -#}
{% macro pipeline_bound(identifier, column) -%}
    {{ return(adapter.dispatch('pipeline_bound', 'coopmetrics')(identifier, column)) }}
{%- endmacro %}

{% macro default__pipeline_bound(identifier, column) -%}
    {%- if not execute -%}
        {{ return(0) }}
    {%- endif -%}
    {%- set relation = adapter.get_relation(database=target.database, schema='quality',
                                            identifier=identifier) -%}
    {%- if relation is none -%}
        {{ return(0) }}
    {%- endif -%}
    {%- set found = run_query('select coalesce(max(' ~ adapter.quote(column) ~ '), 0) from ' ~ relation) -%}
    {{ return(found.columns[0].values()[0] | int) }}
{%- endmacro %}

{% macro spark__pipeline_bound(identifier, column) -%}
    {{ return(0) }}
{%- endmacro %}
