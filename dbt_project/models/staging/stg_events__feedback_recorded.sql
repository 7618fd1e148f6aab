-- generated from sources/schemas by `coopmetrics generate-dbt`: do not edit.
-- Every stored feedback.recorded event, typed
-- (see stg_events__effective for which count).
with

source as (

    select * from {{ ref('stg_events__events') }}
    where event_type = 'feedback.recorded'

),

renamed as (

    select
        {{ typed_event_envelope() }},
        {{ json_text('payload', 'initiative.org_id') }} as initiative_org_id,
        {{ json_text('payload', 'initiative.initiative_id') }} as initiative_id,
        {{ json_text('payload', 'stakeholder_type') }} as stakeholder_type,
        {{ json_text('payload', 'dimension') }} as dimension,
        {{ json_int('payload', 'score') }} as score
    from source

)

select * from renamed
