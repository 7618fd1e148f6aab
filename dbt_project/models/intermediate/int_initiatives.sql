{{ config(materialized='table') }}

-- Every existing initiative: created by the earliest effective
-- initiative.launched or practice.replicated for its key (ties broken by
-- arrival order); later ones are ignored. A replicated initiative belongs
-- to the emitting organisation, takes the payload's locality and the sector
-- of its source initiative, followed up the chain of replications.
with recursive

creations as (

    select
        launched.org_id,
        launched.initiative_id,
        launched.occurred_at,
        launched.event_seq,
        launched.title,
        launched.sector,
        launched.locality,
        launched.parent_org_id,
        launched.parent_initiative_id,
        'initiative.launched' as created_by
    from {{ ref('stg_events__initiative_launched') }} as launched
    inner join {{ ref('int_events__effective') }} using (event_seq)

    union all

    select
        replicated.org_id,
        replicated.initiative_id,
        replicated.occurred_at,
        replicated.event_seq,
        cast(null as string),
        cast(null as string),
        replicated.locality,
        replicated.source_org_id,
        replicated.source_initiative_id,
        'practice.replicated'
    from {{ ref('stg_events__practice_replicated') }} as replicated
    inner join {{ ref('int_events__effective') }} using (event_seq)

),

first_creation as (

    select *
    from (
        select
            *,
            row_number() over (partition by org_id, initiative_id order by occurred_at, event_seq) as nth
        from creations
    ) as ranked
    where nth = 1

),

sector_chain (org_id, initiative_id, step_org_id, step_initiative_id, sector, depth) as (

    select
        org_id,
        initiative_id,
        parent_org_id,
        parent_initiative_id,
        sector,
        0
    from first_creation

    union all

    select
        chain.org_id,
        chain.initiative_id,
        step.parent_org_id,
        step.parent_initiative_id,
        step.sector,
        chain.depth + 1
    from sector_chain as chain
    inner join first_creation as step
        on chain.step_org_id = step.org_id
            and chain.step_initiative_id = step.initiative_id
    where chain.sector is null
        -- a replication chain visits each initiative at most once, unless it is a cycle
        and chain.depth < (select count(*) from first_creation)

),

resolved_sector as (

    select
        org_id,
        initiative_id,
        max(sector) as sector
    from sector_chain
    where sector is not null
    group by org_id, initiative_id

)

select
    first_creation.org_id,
    first_creation.initiative_id,
    first_creation.created_by,
    first_creation.occurred_at as launched_at,
    {{ month_of('first_creation.occurred_at') }} as launched_month,
    first_creation.title,
    resolved_sector.sector,
    first_creation.locality,
    first_creation.parent_org_id,
    first_creation.parent_initiative_id
from first_creation
left join resolved_sector
    on first_creation.org_id = resolved_sector.org_id
        and first_creation.initiative_id = resolved_sector.initiative_id
