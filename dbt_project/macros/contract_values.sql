{#- The contract of sources/schemas as dbt reads it: contract() is generated
    (macros/contract.sql), these name what a model asks of it. -#}

{#- The values a payload field may take (its schema's enum), at the event
    type's latest version. -#}
{% macro contract_values(event_type, field) -%}
    {%- set key = event_type ~ '.' ~ field -%}
    {%- if key not in contract()['enums'] -%}
        {{ exceptions.raise_compiler_error('no enum for ' ~ key ~ ' in sources/schemas') }}
    {%- endif -%}
    {{ return(contract()['enums'][key]) }}
{%- endmacro %}

{#- The highest schema version of an event type: what staging presents. -#}
{% macro contract_latest_version(event_type) -%}
    {{ return(contract()['latest_versions'][event_type]) }}
{%- endmacro %}
