-- Parent links that do not count as spillovers, and why.
select
    child_org_id,
    child_initiative_id,
    child_launched_at,
    parent_org_id,
    parent_initiative_id,
    parent_launched_at,
    created_by,
    rejection_reason
from {{ ref('int_spillover_edges') }}
where rejection_reason is not null
