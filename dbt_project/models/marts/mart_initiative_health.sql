-- The health of each initiative and quarter, after CHAOSS: how much it
-- depends on one organisation or one person. See mart_initiative_health.yml.
with

contributions as (

    select
        initiative_org_id as org_id,
        initiative_id,
        quarter,
        contributing_org_id,
        person_ref,
        value_eur
    from {{ ref('int_contributions_valued') }}
    where initiative_exists

),

by_source_org as (

    -- its sources: valued contributions by contributing organisation, shared assets by emitter
    select
        org_id,
        initiative_id,
        quarter,
        source_org_id,
        sum(value_eur) as value_eur
    from (
        select
            org_id,
            initiative_id,
            quarter,
            contributing_org_id as source_org_id,
            value_eur
        from contributions

        union all

        select
            initiative_org_id as org_id,
            initiative_id,
            {{ quarter_of('occurred_at') }} as quarter,
            org_id as source_org_id,
            value_eur
        from {{ ref('int_asset_shares_valued') }}
        where initiative_exists
    ) as sources
    group by org_id, initiative_id, quarter, source_org_id

),

by_person as (

    select
        org_id,
        initiative_id,
        quarter,
        person_ref,
        sum(value_eur) as value_eur
    from contributions
    group by org_id, initiative_id, quarter, person_ref

),

orgs as (

    {{ concentration('by_source_org') }}

),

people as (

    {{ concentration('by_person') }}

),

first_quarters as (

    select
        org_id,
        initiative_id,
        person_ref,
        min(quarter) as quarter
    from by_person
    group by org_id, initiative_id, person_ref

),

newcomers as (

    select
        org_id,
        initiative_id,
        quarter,
        count(*) as new_contributors
    from first_quarters
    group by org_id, initiative_id, quarter

)

select
    orgs.org_id,
    orgs.initiative_id,
    orgs.quarter,
    orgs.sources as contributing_orgs,
    orgs.elephant_factor,
    orgs.diversity_index as org_diversity_index,
    people.elephant_factor as absence_factor,
    coalesce(newcomers.new_contributors, 0) as new_contributors
from orgs
left join people
    on orgs.org_id = people.org_id
        and orgs.initiative_id = people.initiative_id
        and orgs.quarter = people.quarter
left join newcomers
    on orgs.org_id = newcomers.org_id
        and orgs.initiative_id = newcomers.initiative_id
        and orgs.quarter = newcomers.quarter
