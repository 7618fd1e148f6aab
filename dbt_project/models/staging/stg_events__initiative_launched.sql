-- generated from sources/schemas by `coopmetrics generate-dbt`: do not edit.
-- Every stored initiative.launched event, typed
-- (see stg_events__effective for which count).
with

source as (

    select * from {{ ref('stg_events__events') }}
    where event_type = 'initiative.launched'

),

renamed as (

    select
        {{ typed_event_envelope() }},
        {{ json_text('payload', 'initiative_id') }} as initiative_id,
        {{ json_text('payload', 'title') }} as title,
        {{ json_text('payload', 'sector') }} as sector,
        {{ json_text('payload', 'locality') }} as locality,
        {{ json_text('payload', 'parent.org_id') }} as parent_org_id,
        {{ json_text('payload', 'parent.initiative_id') }} as parent_initiative_id
    from source

)

select * from renamed
