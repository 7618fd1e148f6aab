{#- The payload rules of a typed staging model: each field's rules of its
    latest schema (required, enum, pattern, lengths, bounds), generated from
    sources/schemas into the contract macro (orchestration/core/
    staging_rules.py), judged in one pass over the rows stored since the
    latest current build (keys_checked_through(); 0 by hand, after a
    change of code or a full refresh: every row). A row per broken rule,
    with how many records break it and the first of them (org_id/event_id),
    stored (store_failures) so that the check's message says where to look
    (orchestration/transform/payload_failures.py). NULLs are judged by `required`
    alone. A rule on a column the model does not have (a field of only some
    of its types) is left out. -#}
{% test payload_rules(model) %}
{{ config(store_failures=true) }}
{%- set present = [] %}
{%- if execute %}
    {%- for column in adapter.get_columns_in_relation(model) %}
        {%- do present.append(column.name | lower) %}
    {%- endfor %}
{%- endif %}
{%- set checks = [] %}
{%- for rule in contract()['staging_rules'][model.name] if rule['column'] in present %}
    {%- set column = rule['column'] %}
    {%- if rule['required'] %}
        {%- do checks.append((column, 'required', column ~ ' is null')) %}
    {%- endif %}
    {%- if 'enum' in rule %}
        {%- do checks.append((column, 'one of ' ~ (rule['enum'] | join(', ')),
            column ~ ' not in (' ~ sql_literals(rule['enum']) ~ ')')) %}
    {%- endif %}
    {%- if 'pattern' in rule %}
        {%- do checks.append((column, 'matches ' ~ rule['pattern'],
            'not ' ~ matches_pattern(column, rule['pattern']))) %}
    {%- endif %}
    {%- if 'min_length' in rule %}
        {%- do checks.append((column, 'at least ' ~ rule['min_length'] ~ ' characters',
            'length(' ~ column ~ ') < ' ~ rule['min_length'])) %}
    {%- endif %}
    {%- if 'max_length' in rule %}
        {%- do checks.append((column, 'at most ' ~ rule['max_length'] ~ ' characters',
            'length(' ~ column ~ ') > ' ~ rule['max_length'])) %}
    {%- endif %}
    {%- if 'minimum' in rule %}
        {%- set exclusive = rule['minimum_exclusive'] %}
        {%- do checks.append((column, ('above ' if exclusive else 'at least ') ~ rule['minimum'],
            column ~ (' <= ' if exclusive else ' < ') ~ rule['minimum'])) %}
    {%- endif %}
    {%- if 'maximum' in rule %}
        {%- set exclusive = rule['maximum_exclusive'] %}
        {%- do checks.append((column, ('below ' if exclusive else 'at most ') ~ rule['maximum'],
            column ~ (' >= ' if exclusive else ' > ') ~ rule['maximum'])) %}
    {%- endif %}
{%- endfor %}
with

new_rows as (

    select * from {{ model }}
    {%- if keys_checked_through() > 0 %}
    where event_seq > {{ keys_checked_through() }}
    {%- endif %}

),

verdicts as (

    select
        {%- for column, rule, broken in checks %}
        count(case when {{ broken }} then 1 end) as broken_{{ loop.index }},
        min(case when {{ broken }} then concat(org_id, '/', event_id) end) as first_{{ loop.index }},
        {%- endfor %}
        count(*) as rows_judged
    from new_rows

)

{% for column, rule, broken in checks -%}
select
    '{{ column }}' as column_name,
    {{ sql_string(rule) }} as rule,
    broken_{{ loop.index }} as records,
    first_{{ loop.index }} as first_record
from verdicts
where broken_{{ loop.index }} > 0
{{ 'union all' if not loop.last }}
{% else -%}
select rows_judged from verdicts where rows_judged < 0
{%- endfor %}
{% endtest %}
