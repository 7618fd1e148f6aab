with

source as (

    select * from {{ source('raw', 'outcome_catalogue') }}

),

renamed as (

    select
        outcome_code,
        label as outcome_label,
        unit as outcome_unit,
        cast(proxy_eur as double) as proxy_eur,
        proxy_source,
        cast(price_year as integer) as price_year,
        cast(deadweight as double) as deadweight,
        cast(displacement as double) as displacement,
        cast(attribution as double) as attribution,
        cast(drop_off as double) as drop_off,
        cast(duration_years as integer) as duration_years
    from source

)

select * from renamed
