{#- The event_seq up to which the key tests take rows as tested: the var
    keys_checked_through, which the pipeline's build plan passes
    (orchestration/transform/plan.py); 0, the default, tests every row (dbt
    run by hand, a full refresh). Read when the test is compiled, so that a
    test with nothing to take as tested is the plain aggregate, not a join
    of every key with every key. -#}
{% macro keys_checked_through() -%}
    {{ return(var('keys_checked_through', 0) | int) }}
{%- endmacro %}
