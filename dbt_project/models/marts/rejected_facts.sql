-- Facts kept out of the marts, with why (as known at as_of): facts pointing
-- at an initiative that does not exist, outcome reports whose code is not
-- in the catalogue or whose period ends before it starts, coalition events emitted by an
-- organisation that was not a member of the coalition at that moment, and
-- coalition.formed events for an id an earlier-stored one took.
select
    'contribution.logged' as event_type,
    org_id,
    event_id,
    occurred_at,
    initiative_org_id,
    initiative_id,
    cast(null as string) as coalition_id,
    'initiative_unknown' as reason
from {{ ref('int_contributions_valued') }}
where not initiative_exists
union all
select
    'asset.shared',
    org_id,
    event_id,
    occurred_at,
    initiative_org_id,
    initiative_id,
    null,
    'initiative_unknown'
from {{ ref('int_asset_shares_valued') }}
where not initiative_exists
union all
select
    'resource.committed',
    org_id,
    event_id,
    occurred_at,
    initiative_org_id,
    initiative_id,
    null,
    'initiative_unknown'
from {{ ref('int_resources_valid') }}
where not initiative_exists
union all
select
    'feedback.recorded',
    org_id,
    event_id,
    occurred_at,
    initiative_org_id,
    initiative_id,
    null,
    'initiative_unknown'
from {{ ref('int_feedback_valid') }}
where not initiative_exists
union all
select
    'outcome.reported',
    org_id,
    event_id,
    occurred_at,
    initiative_org_id,
    initiative_id,
    null,
    rejection
from {{ ref('int_outcome_reports') }}
where rejection is not null
union all
select
    'coalition.' || change,
    emitter_org_id,
    event_id,
    occurred_at,
    null,
    null,
    coalition_id,
    verdict
from {{ ref('int_coalition_fold') }}
where verdict in ('not_a_member', 'coalition_exists')
