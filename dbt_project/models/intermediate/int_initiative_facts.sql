-- Every counted fact of an existing initiative, one row each, on a common
-- shape: what int_initiative_months sums, its only reader (a view: written as
-- a table, every fact was copied once more only to be summed).
with

contributions as (

    select
        initiative_org_id as org_id,
        initiative_id,
        month,
        'contribution' as fact,
        case when not is_external then value_eur else 0 end as own_value_eur,
        case when is_external then value_eur else 0 end as coproduced_value_eur,
        cast(0 as decimal(38, 6)) as resources_eur,
        contributing_org_id,
        person_ref,
        cast(null as integer) as score
    from {{ ref('int_contributions_valued') }}
    where initiative_exists

),

assets as (

    select
        initiative_org_id,
        initiative_id,
        month,
        'asset',
        case when not is_coproduced then value_eur else 0 end,
        case when is_coproduced then value_eur else 0 end,
        0,
        null,
        null,
        null
    from {{ ref('int_asset_shares_valued') }}
    where initiative_exists

),

resources as (

    select
        initiative_org_id,
        initiative_id,
        month,
        'resource',
        0,
        0,
        amount_eur,
        null,
        null,
        null
    from {{ ref('int_resources_valid') }}
    where initiative_exists

),

feedback as (

    select
        initiative_org_id,
        initiative_id,
        month,
        'feedback',
        0,
        0,
        0,
        null,
        null,
        score
    from {{ ref('int_feedback_valid') }}
    where initiative_exists

)

select * from contributions
union all
select * from assets
union all
select * from resources
union all
select * from feedback
