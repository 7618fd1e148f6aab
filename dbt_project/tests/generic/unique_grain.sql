{#- The grain a model declares in its yml (config: meta: grain): no two rows
    share it; and, with `not_null`, none of those columns is NULL. One test
    node for both, since dbt charges its fixed price of a node (about 0.07 s
    on DuckDB, whatever the table's size) for each test. The GX marts suite
    and the partner extracts read the same meta. -#}
{% test unique_grain(model, not_null=[]) %}
    {%- set grain = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.alias == model.identifier -%}
            {%- do grain.extend(node.config.meta.get('grain', [])) -%}
        {%- endfor -%}
        {%- if not grain -%}
            {{ exceptions.raise_compiler_error('unique_grain: ' ~ model.identifier ~ ' declares no grain') }}
        {%- endif -%}
    {%- else -%}
        {%- do grain.append('1') -%}
    {%- endif -%}
    {%- if not_null %}
select *
from (
    select 'rows sharing the grain' as failure, count(*) as failing_rows
    from ({{ test_unique_combination(model, grain) }}) as repeats
    union all
    select 'rows with a NULL in {{ not_null | join(", ") }}' as failure, count(*) as failing_rows
    from {{ model }}
    where {% for column in not_null %}{{ column }} is null{{ ' or ' if not loop.last }}{% endfor %}
) as failures
where failing_rows > 0
    {%- else %}
    {{ test_unique_combination(model, grain) }}
    {%- endif %}
{% endtest %}
