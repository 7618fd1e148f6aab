-- generated from sources/schemas by `coopmetrics generate-dbt`: do not edit.
-- Every stored asset.shared event, typed
-- (see stg_events__effective for which count).
with

source as (

    select * from {{ ref('stg_events__events') }}
    where event_type = 'asset.shared'

),

renamed as (

    select
        {{ typed_event_envelope() }},
        {{ json_text('payload', 'asset_id') }} as asset_id,
        {{ json_text('payload', 'asset_type') }} as asset_type,
        {{ json_text('payload', 'initiative.org_id') }} as initiative_org_id,
        {{ json_text('payload', 'initiative.initiative_id') }} as initiative_id,
        {{ json_number('payload', 'days') }} as days,
        {{ json_number('payload', 'value_eur') }} as value_eur
    from source

)

select * from renamed
