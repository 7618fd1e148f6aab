{#- Upcasting: one ordered chain per event type, each step a macro taking
    the payload of version N and returning version N+1 (as in the
    eventsourcing library). Staging applies the whole chain, so marts only
    ever see the latest version. -#}

{#- contribution.logged v1 -> v2: the initiative is the emitting
    organisation's, the kind is time, the amount is the hours. -#}
{% macro upcast_contribution_logged_v1_to_v2(payload, org_id) -%}
    {{ return(adapter.dispatch('upcast_contribution_logged_v1_to_v2', 'coopmetrics')(payload, org_id)) }}
{%- endmacro %}

{% macro default__upcast_contribution_logged_v1_to_v2(payload, org_id) -%}
    json_object(
        'initiative', json_object('org_id', {{ org_id }}, 'initiative_id', {{ json_text(payload, 'initiative_id') }}),
        'person_ref', {{ json_text(payload, 'person_ref') }},
        'kind', 'time',
        'amount', json_extract({{ payload }}, '$.hours'),
        'unit', 'hour'
    )
{%- endmacro %}

{#- The chain for contribution.logged: the payload at the latest version (2). -#}
{% macro upcast_contribution_logged(payload, schema_version, org_id) -%}
    case {{ schema_version }}
        when 1 then {{ upcast_contribution_logged_v1_to_v2(payload, org_id) }}
        else {{ payload }}
    end
{%- endmacro %}
