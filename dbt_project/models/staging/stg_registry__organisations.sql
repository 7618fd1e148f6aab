with

source as (

    select * from {{ source('raw', 'organisations') }}

),

renamed as (

    select
        org_id,
        name as organisation_name,
        sector,
        locality,
        feed_format
    from source

)

select * from renamed
