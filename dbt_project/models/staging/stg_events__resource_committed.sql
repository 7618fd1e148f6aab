-- generated from sources/schemas by `coopmetrics generate-dbt`: do not edit.
-- Every stored resource.committed event, typed
-- (see stg_events__effective for which count).
with

source as (

    select * from {{ ref('stg_events__events') }}
    where event_type = 'resource.committed'

),

renamed as (

    select
        {{ typed_event_envelope() }},
        {{ json_text('payload', 'initiative_id') }} as initiative_id,
        {{ json_text('payload', 'source_type') }} as source_type,
        {{ json_number('payload', 'amount_eur') }} as amount_eur,
        {{ json_text('payload', 'funder_org_id') }} as funder_org_id
    from source

)

select * from renamed
