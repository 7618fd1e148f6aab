{#- The grain a model declares in its yml (config: meta: grain): no two rows
    share it. The GX marts suite and the partner extracts read the same meta. -#}
{% test unique_grain(model) %}
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
    {{ test_unique_combination(model, grain) }}
{% endtest %}
