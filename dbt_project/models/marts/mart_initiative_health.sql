-- The health of each initiative and quarter, after CHAOSS: how much it
-- depends on one organisation or one person. See mart_initiative_health.yml.
-- Inside the model integers stand for initiatives and pseudonyms: at size
-- nearly every contribution is its own (initiative, quarter, person), so the
-- groupings and the sort of the absence factor run over the whole feed,
-- and on 64-character keys they cost three times what they do on integers.
with

initiative_keys as (

    -- every existing initiative: those the facts' initiative_exists points at
    select
        org_id,
        initiative_id,
        cast(dense_rank() over (order by org_id, initiative_id) as integer) as initiative_key
    from {{ ref('int_initiatives') }}

),

person_keys as (

    select
        person_ref,
        cast(dense_rank() over (order by person_ref) as integer) as person_key
    from (
        select distinct person_ref
        from {{ ref('int_contributions_valued') }}
        where initiative_exists
    ) as people

),

by_source_org as (

    -- its sources: valued contributions by contributing organisation, shared assets by emitter
    select
        initiative_keys.initiative_key,
        sources.quarter,
        sources.source_org_id,
        sum(sources.value_eur) as value_eur
    from (
        select
            initiative_org_id as org_id,
            initiative_id,
            quarter,
            contributing_org_id as source_org_id,
            value_eur
        from {{ ref('int_contributions_valued') }}
        where initiative_exists

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
    inner join initiative_keys
        on sources.org_id = initiative_keys.org_id
            and sources.initiative_id = initiative_keys.initiative_id
    group by initiative_keys.initiative_key, sources.quarter, sources.source_org_id

),

by_person as (

    select
        initiative_keys.initiative_key,
        contributions.quarter,
        person_keys.person_key,
        sum(contributions.value_eur) as value_eur
    from {{ ref('int_contributions_valued') }} as contributions
    inner join initiative_keys
        on contributions.initiative_org_id = initiative_keys.org_id
            and contributions.initiative_id = initiative_keys.initiative_id
    inner join person_keys
        on contributions.person_ref = person_keys.person_ref
    where contributions.initiative_exists
    group by initiative_keys.initiative_key, contributions.quarter, person_keys.person_key

),

orgs as (

    -- (noqa: PRS on the calls: sqlfluff's DuckDB dialect cannot parse the `lambda` of concentration's DuckDB form)
    {{ concentration('by_source_org', ['initiative_key', 'quarter']) }}  -- noqa: PRS

),

people as (

    {{ concentration('by_person', ['initiative_key', 'quarter']) }}  -- noqa: PRS

),

first_quarters as (

    select
        initiative_key,
        person_key,
        min(quarter) as quarter
    from by_person
    group by initiative_key, person_key

),

newcomers as (

    select
        initiative_key,
        quarter,
        count(*) as new_contributors
    from first_quarters
    group by initiative_key, quarter

)

select
    initiative_keys.org_id,
    initiative_keys.initiative_id,
    orgs.quarter,
    orgs.sources as contributing_orgs,
    orgs.elephant_factor,
    orgs.diversity_index as org_diversity_index,
    people.elephant_factor as absence_factor,
    coalesce(newcomers.new_contributors, 0) as new_contributors
from orgs
inner join initiative_keys
    on orgs.initiative_key = initiative_keys.initiative_key
left join people
    on orgs.initiative_key = people.initiative_key
        and orgs.quarter = people.quarter
left join newcomers
    on orgs.initiative_key = newcomers.initiative_key
        and orgs.quarter = newcomers.quarter
