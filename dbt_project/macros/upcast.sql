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

{% macro spark__upcast_contribution_logged_v1_to_v2(payload, org_id) -%}
    to_json(named_struct(
        'initiative', named_struct('org_id', {{ org_id }}, 'initiative_id', {{ json_text(payload, 'initiative_id') }}),
        'person_ref', {{ json_text(payload, 'person_ref') }},
        'kind', 'time',
        'amount', cast({{ json_text(payload, 'hours') }} as double),
        'unit', 'hour'
    ))
{%- endmacro %}

{#- The whole chain: a payload of any version of the event type, at its
    latest version (contract_latest_version, from sources/schemas). A
    payload of version N goes through the steps N -> N+1 -> ... -> latest,
    each the macro upcast_<event_type>_v<N>_to_v<N+1>; a missing step is a
    compile error naming it. -#}
{% macro upcast_to_latest(event_type, payload, schema_version, org_id) -%}
    {%- set latest = contract_latest_version(event_type) -%}
    {%- if latest == 1 -%}
        {{ payload }}
    {%- else -%}
    case {{ schema_version }}
        {%- for from_version in range(1, latest) %}
        when {{ from_version }} then {{ upcast_steps(event_type, payload, org_id, from_version, latest) }}
        {%- endfor %}
        else {{ payload }}
    end
    {%- endif -%}
{%- endmacro %}

{% macro upcast_steps(event_type, payload, org_id, from_version, latest) -%}
    {%- set upcast = namespace(expression=payload) -%}
    {%- for version in range(from_version, latest) -%}
        {%- set step_name = 'upcast_' ~ event_type | replace('.', '_') ~ '_v' ~ version ~ '_to_v' ~ (version + 1) -%}
        {%- set step = context.get(step_name) -%}
        {%- if step is none -%}
            {{ exceptions.raise_compiler_error('no upcasting step ' ~ step_name ~ ' (macros/upcast.sql)') }}
        {%- endif -%}
        {%- set upcast.expression = step(upcast.expression, org_id) -%}
    {%- endfor -%}
    {{ upcast.expression }}
{%- endmacro %}
