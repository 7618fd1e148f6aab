{#- The event_seq up to which the key tests take rows as tested: what the
    pipeline's dbt step set in quality.key_tests for its own invocation
    (orchestration/transform/builds.py), 0 (every row) when dbt runs
    outside it or on an engine without that table. Read when the test is
    compiled, so that a test with nothing to take as tested is the plain
    aggregate, not a join of every key with every key. -#}
{% macro keys_checked_through() -%}
    {{ return(pipeline_bound('key_tests', 'checked_through')) }}
{%- endmacro %}
