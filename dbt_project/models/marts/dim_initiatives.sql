-- Every existing initiative with how it was created, its lineage and, when
-- it ended, how (the earliest effective initiative.closed).
with

closures as (

    select
        closed.org_id,
        closed.initiative_id,
        min(closed.occurred_at) as closed_at,
        min_by(closed.outcome, closed.occurred_at) as outcome
    from {{ ref('stg_events__initiative_closed') }} as closed
    inner join {{ ref('int_events__effective') }} using (event_seq)
    group by closed.org_id, closed.initiative_id

)

select
    initiatives.org_id,
    initiatives.initiative_id,
    initiatives.title,
    initiatives.sector,
    initiatives.locality,
    initiatives.created_by,
    initiatives.launched_at,
    initiatives.parent_org_id,
    initiatives.parent_initiative_id,
    closures.closed_at,
    closures.outcome
from {{ ref('int_initiatives') }} as initiatives
left join closures
    on initiatives.org_id = closures.org_id
        and initiatives.initiative_id = closures.initiative_id
