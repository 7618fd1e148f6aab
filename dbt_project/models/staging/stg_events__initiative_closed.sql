-- generated from sources/schemas by `coopmetrics generate-dbt`: do not edit.
-- Every stored initiative.closed event, typed
-- (see stg_events__effective for which count).
with

source as (

    select * from {{ ref('stg_events__events') }}
    where event_type = 'initiative.closed'

),

renamed as (

    select
        {{ typed_event_envelope() }},
        {{ json_text('payload', 'initiative_id') }} as initiative_id,
        {{ json_text('payload', 'outcome') }} as outcome
    from source

)

select * from renamed
