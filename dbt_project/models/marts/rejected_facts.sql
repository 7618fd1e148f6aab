-- Facts kept out of the marts because the initiative they point at does not
-- exist (as known at as_of).
select 'contribution.logged' as event_type, org_id, event_id, occurred_at, initiative_org_id, initiative_id,
       'initiative_unknown' as reason
from {{ ref('int_contributions_valued') }} where not initiative_exists
union all
select 'asset.shared', org_id, event_id, occurred_at, initiative_org_id, initiative_id, 'initiative_unknown'
from {{ ref('int_asset_shares_valued') }} where not initiative_exists
union all
select 'resource.committed', org_id, event_id, occurred_at, initiative_org_id, initiative_id, 'initiative_unknown'
from {{ ref('int_resources_valid') }} where not initiative_exists
union all
select 'feedback.recorded', org_id, event_id, occurred_at, initiative_org_id, initiative_id, 'initiative_unknown'
from {{ ref('int_feedback_valid') }} where not initiative_exists
