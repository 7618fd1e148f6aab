-- Every stored event, typed, with its time buckets. The only model that
-- reads the event store.
with

source as (

    select * from {{ source('raw', 'events') }}

),

renamed as (

    select
        event_seq,
        org_id,
        event_id,
        event_type,
        schema_version,
        occurred_at,
        {{ month_of('occurred_at') }} as occurred_month,
        {{ quarter_of('occurred_at') }} as occurred_quarter,
        actor_ref,
        payload,
        ingested_at,
        run_id
    from source

)

select * from renamed
