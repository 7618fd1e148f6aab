-- Every existing initiative: created by the earliest effective
-- initiative.launched or practice.replicated for its key (ties broken by
-- arrival order); later ones are ignored. A replicated initiative takes the
-- sector of its source initiative, followed up the chain of replications.
with recursive

creations as (

    select
        org_id, initiative_id, occurred_at, event_seq, title, sector, locality,
        parent_org_id, parent_initiative_id, 'initiative.launched' as created_by
    from {{ ref('stg_events__initiative_launched') }}

    union all

    select
        org_id, initiative_id, occurred_at, event_seq, cast(null as varchar) as title,
        cast(null as varchar) as sector, locality,
        source_org_id, source_initiative_id, 'practice.replicated'
    from {{ ref('stg_events__practice_replicated') }}

),

ranked as (

    select
        *,
        row_number() over (partition by org_id, initiative_id order by occurred_at, event_seq) as nth
    from creations

),

first_creation as (

    select * from ranked where nth = 1

),

sector_chain (org_id, initiative_id, step_org_id, step_initiative_id, sector, depth) as (

    select org_id, initiative_id, parent_org_id, parent_initiative_id, sector, 0
    from first_creation

    union all

    select
        chain.org_id, chain.initiative_id, step.parent_org_id, step.parent_initiative_id, step.sector,
        chain.depth + 1
    from sector_chain as chain
    inner join first_creation as step
        on step.org_id = chain.step_org_id
        and step.initiative_id = chain.step_initiative_id
    where chain.sector is null
        and step.created_by is not null
        -- a replication chain cannot be longer than the number of initiatives
        and chain.depth < 10000

),

resolved_sector as (

    select org_id, initiative_id, max(sector) as sector
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
