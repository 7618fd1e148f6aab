-- Spillovers per registered organisation: across its boundary and within.
with

edges as (

    select
        parent_org_id,
        child_org_id
    from {{ ref('int_spillover_edges') }}
    where rejection_reason is null

),

originated as (

    select
        parent_org_id as org_id,
        count(*) as n
    from edges
    where parent_org_id <> child_org_id
    group by parent_org_id

),

received as (

    select
        child_org_id as org_id,
        count(*) as n
    from edges
    where parent_org_id <> child_org_id
    group by child_org_id

),

internal as (

    select
        parent_org_id as org_id,
        count(*) as n
    from edges
    where parent_org_id = child_org_id
    group by parent_org_id

)

select
    organisations.org_id,
    coalesce(originated.n, 0) as spillovers_originated,
    coalesce(received.n, 0) as spillovers_received,
    coalesce(internal.n, 0) as internal_spillovers,
    coalesce(originated.n, 0) - coalesce(received.n, 0) as spillover_balance
from {{ ref('stg_registry__organisations') }} as organisations
left join originated on organisations.org_id = originated.org_id
left join received on organisations.org_id = received.org_id
left join internal on organisations.org_id = internal.org_id
