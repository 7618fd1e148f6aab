-- generated from sources/schemas by `coopmetrics generate-dbt`: do not edit.
-- Every stored member.left event, typed
-- (see stg_events__effective for which count).
with

source as (

    select * from {{ ref('stg_events__events') }}
    where event_type = 'member.left'

),

renamed as (

    select
        {{ typed_event_envelope() }},
        {{ json_text('payload', 'person_ref') }} as person_ref
    from source

)

select * from renamed
