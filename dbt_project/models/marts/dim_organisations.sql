-- Every registered organisation, plus any organisation named in events but
-- absent from the registry (its sector and locality are NULL).
with

registered as (

    select
        org_id,
        organisation_name,
        sector,
        locality,
        true as is_registered
    from {{ ref('stg_registry__organisations') }}

),

named_in_events as (

    select org_id from {{ ref('int_events__effective') }}
    union
    select initiative_org_id from {{ ref('int_contributions_valued') }}
    union
    select contributor_org_id from {{ ref('int_facts__contributions') }}
    union
    select initiative_org_id from {{ ref('int_asset_shares_valued') }}
    union
    select member_org_id from {{ ref('stg_events__coalition_changes') }}
    union
    select parent_org_id from {{ ref('int_initiatives') }}

)

select * from registered
union all
select
    org_id,
    null,
    null,
    null,
    false
from named_in_events
where named_in_events.org_id is not null
    and named_in_events.org_id not in (select registered.org_id from registered)
