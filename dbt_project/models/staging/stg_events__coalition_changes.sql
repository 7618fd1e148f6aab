{{ config(materialized='table') }}

-- A table, not a view like the other staging models: the coalition fold
-- and the coalition memberships both read it, and as a view each would
-- scan the whole store for a few thousand rows.
-- Every stored coalition event as membership changes: one row per founding
-- member of coalition.formed, one per joined/left, one per dissolved.
with

source as (

    select * from {{ ref('stg_events__events') }}
    where event_type in ('coalition.formed', 'coalition.joined', 'coalition.left', 'coalition.dissolved')

),

formed_members as (

    select
        event_seq, org_id, event_id, occurred_at, ingested_at,
        {{ json_text('payload', 'coalition_id') }} as coalition_id,
        'formed' as change,
        {{ json_string_array_elements('payload', 'member_org_ids') }} as member_org_id
    from source
    where event_type = 'coalition.formed'

),

other_changes as (

    select
        event_seq, org_id, event_id, occurred_at, ingested_at,
        {{ json_text('payload', 'coalition_id') }} as coalition_id,
        replace(event_type, 'coalition.', '') as change,
        {{ json_text('payload', 'org_id') }} as member_org_id
    from source
    where event_type <> 'coalition.formed'

),

renamed as (

    select * from formed_members
    union all
    select * from other_changes

)

select * from renamed
