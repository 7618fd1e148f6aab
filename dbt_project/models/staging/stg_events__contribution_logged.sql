-- generated from sources/schemas by `coopmetrics generate-dbt`: do not edit.
-- Every stored contribution.logged event at its latest version (v2; upcast in macros/upcast.sql), typed
-- (see stg_events__effective for which count).
with

source as (

    select
        *,
        {{ upcast_to_latest('contribution.logged', 'payload', 'schema_version', 'org_id') }} as payload_latest
    from {{ ref('stg_events__events') }}
    where event_type = 'contribution.logged'

),

renamed as (

    select
        {{ typed_event_envelope() }},
        schema_version as delivered_schema_version,
        {{ json_text('payload_latest', 'initiative.org_id') }} as initiative_org_id,
        {{ json_text('payload_latest', 'initiative.initiative_id') }} as initiative_id,
        {{ json_text('payload_latest', 'person_ref') }} as person_ref,
        {{ json_text('payload_latest', 'contributor_org_id') }} as contributor_org_id,
        {{ json_text('payload_latest', 'kind') }} as kind,
        {{ json_number('payload_latest', 'amount') }} as amount,
        {{ json_text('payload_latest', 'unit') }} as unit
    from source

)

select * from renamed
