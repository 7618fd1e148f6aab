-- Spillovers per existing initiative: what it spawned, directly and
-- through later generations, and the value created there.
with

children as (

    select
        parent_org_id as org_id,
        parent_initiative_id as initiative_id,
        count(*) as direct_spillovers,
        min(child_launched_at) as first_child_launched_at
    from {{ ref('int_spillover_edges') }}
    where rejection_reason is null
    group by parent_org_id, parent_initiative_id

)

select
    nodes.org_id,
    nodes.initiative_id,
    coalesce(children.direct_spillovers, 0) as direct_spillovers,
    subtrees.total_spillovers,
    subtrees.max_depth,
    subtrees.cross_org_spillovers,
    subtrees.cross_sector_spillovers,
    subtrees.cross_locality_spillovers,
    {{ money('nodes.lifetime_value_eur') }} as own_value_eur,
    {{ money('cast(subtrees.spillover_value_micro as decimal(38, 6)) / 1000000') }} as spillover_value_eur,
    cast(subtrees.spillover_value_micro as double) / nullif(cast(nodes.lifetime_value_micro as double), 0)
        as spillover_multiplier,
    case when children.first_child_launched_at is not null
            then {{ whole_days('nodes.launched_at', 'children.first_child_launched_at') }}
    end as days_to_first_spillover
from {{ ref('int_spillover_nodes') }} as nodes
inner join {{ ref('int_spillover_subtrees') }} as subtrees
    on nodes.org_id = subtrees.org_id
        and nodes.initiative_id = subtrees.initiative_id
left join children
    on nodes.org_id = children.org_id
        and nodes.initiative_id = children.initiative_id
