{{ config(materialized='table') }}

-- Every parent -> child link of an initiative's creation (its
-- initiative.launched parent, or its practice.replicated source). It counts
-- when the parent exists and was launched strictly before the child; else
-- rejection_reason says why (which also makes cycles impossible).
select
    child.org_id as child_org_id,
    child.initiative_id as child_initiative_id,
    child.launched_at as child_launched_at,
    child.launched_month as child_launched_month,
    child.created_by,
    child.parent_org_id,
    child.parent_initiative_id,
    parent.launched_at as parent_launched_at,
    case
        when parent.initiative_id is null then 'parent_unknown'
        when parent.launched_at >= child.launched_at then 'parent_not_earlier'
    end as rejection_reason
from {{ ref('int_initiatives') }} as child
left join {{ ref('int_initiatives') }} as parent
    on child.parent_org_id = parent.org_id
        and child.parent_initiative_id = parent.initiative_id
where child.parent_initiative_id is not null
