-- generated from sources/schemas by `coopmetrics generate-dbt`: do not edit.
-- Every stored practice.replicated event, typed
-- (see stg_events__effective for which count).
with

source as (

    select * from {{ ref('stg_events__events') }}
    where event_type = 'practice.replicated'

),

renamed as (

    select
        {{ typed_event_envelope() }},
        {{ json_text('payload', 'source.org_id') }} as source_org_id,
        {{ json_text('payload', 'source.initiative_id') }} as source_initiative_id,
        {{ json_text('payload', 'initiative_id') }} as initiative_id,
        {{ json_text('payload', 'locality') }} as locality
    from source

)

select * from renamed
