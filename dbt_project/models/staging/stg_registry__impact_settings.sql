with

source as (

    select * from {{ source('raw', 'impact_settings') }}

),

renamed as (

    select
        cast(discount_rate as double) as discount_rate,
        catalogue_digest
    from source

)

select * from renamed
