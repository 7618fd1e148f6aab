{#- A typed staging model of one event type: its events at the type's latest
    version (upcast), the envelope columns and one column a payload field,
    as the contract macro lists them (generated from sources/schemas). -#}
{% macro typed_event_staging(event_type) -%}
    {%- set upcast = contract_latest_version(event_type) > 1 -%}
    {%- set payload = 'payload_latest' if upcast else 'payload' -%}
    {%- set columns = contract()['staging_columns'][event_type] -%}
with

source as (

    select
        *{% if upcast %},
        {{ upcast_to_latest(event_type, 'payload', 'schema_version', 'org_id') }} as payload_latest
        {%- endif %}
    from {{ ref('stg_events__events') }}
    where event_type = '{{ event_type }}'

),

extracted as (

    select
        *,
        {{ json_texts(payload, columns | map(attribute=1) | list) }} as payload_texts
    from source

),

renamed as (

    select
        {{ typed_event_envelope() }},
        {%- if upcast %}
        schema_version as delivered_schema_version,
        {%- endif %}
        {%- for accessor, path, column in columns %}
        {{ json_text_as(accessor, json_texts_at('payload_texts', loop.index)) }} as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from extracted

)

select * from renamed
{%- endmacro %}
