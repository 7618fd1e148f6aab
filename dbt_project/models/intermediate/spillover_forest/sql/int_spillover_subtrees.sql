{{ config(materialized='table') }}

-- The spillover forest's descendant aggregates on engines that cannot run
-- the numpy model (dbt-spark session mode runs no Python models). Same
-- columns and values: the closure holds one row per (ancestor, descendant)
-- pair, so its size is the sum of all depths. That is small on the wide,
-- shallow forests consortia make, and a cluster engine spreads it; the
-- numpy model avoids it on one machine.
with recursive

nodes as (

    select
        org_id,
        initiative_id,
        parent_org_id,
        parent_initiative_id,
        sector,
        locality,
        lifetime_value_micro
    from {{ ref('int_spillover_nodes') }}

),

closure as (

    select
        parents.org_id as ancestor_org_id,
        parents.initiative_id as ancestor_initiative_id,
        parents.parent_org_id as next_org_id,
        parents.parent_initiative_id as next_initiative_id,
        children.org_id as descendant_org_id,
        children.initiative_id as descendant_initiative_id,
        1 as distance
    from nodes as children
    inner join nodes as parents
        on children.parent_org_id = parents.org_id
            and children.parent_initiative_id = parents.initiative_id

    union all

    select
        above.org_id,
        above.initiative_id,
        above.parent_org_id,
        above.parent_initiative_id,
        closure.descendant_org_id,
        closure.descendant_initiative_id,
        closure.distance + 1
    from closure
    inner join nodes as above
        on closure.next_org_id = above.org_id
            and closure.next_initiative_id = above.initiative_id

),

descendants as (

    select
        closure.ancestor_org_id,
        closure.ancestor_initiative_id,
        count(*) as total_spillovers,
        max(closure.distance) as max_depth,
        sum(descendant.lifetime_value_micro) as spillover_value_micro,
        sum(case when descendant.org_id <> ancestor.org_id then 1 else 0 end) as cross_org_spillovers,
        sum(case when descendant.sector <> ancestor.sector then 1 else 0 end) as cross_sector_spillovers,
        sum(case when descendant.locality <> ancestor.locality then 1 else 0 end) as cross_locality_spillovers
    from closure
    inner join nodes as ancestor
        on closure.ancestor_org_id = ancestor.org_id
            and closure.ancestor_initiative_id = ancestor.initiative_id
    inner join nodes as descendant
        on closure.descendant_org_id = descendant.org_id
            and closure.descendant_initiative_id = descendant.initiative_id
    group by closure.ancestor_org_id, closure.ancestor_initiative_id

)

select
    nodes.org_id,
    nodes.initiative_id,
    cast(coalesce(descendants.total_spillovers, 0) as bigint) as total_spillovers,
    cast(coalesce(descendants.max_depth, 0) as bigint) as max_depth,
    cast(coalesce(descendants.spillover_value_micro, 0) as bigint) as spillover_value_micro,
    cast(coalesce(descendants.cross_org_spillovers, 0) as bigint) as cross_org_spillovers,
    cast(coalesce(descendants.cross_sector_spillovers, 0) as bigint) as cross_sector_spillovers,
    cast(coalesce(descendants.cross_locality_spillovers, 0) as bigint) as cross_locality_spillovers
from nodes
left join descendants
    on nodes.org_id = descendants.ancestor_org_id
        and nodes.initiative_id = descendants.ancestor_initiative_id
