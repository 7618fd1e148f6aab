{{ config(materialized='table') }}

-- The spillover forest: every existing initiative with its counted parent
-- (each initiative has at most one) and its lifetime value in micro-euros,
-- an exact integer for the tree sums of int_spillover_subtrees.
with

lifetime as (

    select
        org_id,
        initiative_id,
        sum(total_value_eur) as total_value_eur
    from {{ ref('int_initiative_months') }}
    group by org_id, initiative_id

)

select
    initiatives.org_id,
    initiatives.initiative_id,
    initiatives.launched_at,
    initiatives.sector,
    initiatives.locality,
    edges.parent_org_id,
    edges.parent_initiative_id,
    coalesce(lifetime.total_value_eur, 0) as lifetime_value_eur,
    cast(round(coalesce(lifetime.total_value_eur, 0) * 1000000) as bigint) as lifetime_value_micro
from {{ ref('int_initiatives') }} as initiatives
left join {{ ref('int_spillover_edges') }} as edges
    on initiatives.org_id = edges.child_org_id
        and initiatives.initiative_id = edges.child_initiative_id
        and edges.rejection_reason is null
left join lifetime
    on initiatives.org_id = lifetime.org_id
        and initiatives.initiative_id = lifetime.initiative_id
