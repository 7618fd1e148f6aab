{{ config(materialized='table') }}

-- Coalition memberships as spans [joined_at, left_at), read off the
-- coalition fold's applied steps (int_coalition_fold): a span starts when
-- an applied formation names an organisation or it joins while not a
-- member, and ends at its first later applied leave, or at the coalition's
-- dissolution, whichever comes first (NULL: still a member). An
-- organisation is a member at t exactly when some span has
-- joined_at <= t < left_at, as after the fold's latest step at or before t.
with

applied as (

    select
        fold.coalition_id,
        fold.step,
        fold.occurred_at,
        fold.change,
        changes.member_org_id as org_id
    from {{ ref('int_coalition_fold') }} as fold
    inner join {{ ref('stg_events__coalition_changes') }} as changes
        on fold.emitter_org_id = changes.org_id
            and fold.event_id = changes.event_id
    where fold.verdict = 'applied' and fold.change in ('formed', 'joined', 'left')

),

changes as (

    select
        *,
        lag(change) over (partition by coalition_id, org_id order by step) as previous_change
    from applied

),

dissolutions as (

    select
        coalition_id,
        min(occurred_at) as dissolved_at
    from {{ ref('int_coalition_fold') }}
    where verdict = 'applied' and change = 'dissolved'
    group by coalition_id

),

spans as (

    select
        starts.coalition_id,
        starts.org_id,
        starts.occurred_at as joined_at,
        min(leaves.occurred_at) as left_at
    from changes as starts
    left join changes as leaves
        on starts.coalition_id = leaves.coalition_id
            and starts.org_id = leaves.org_id
            and starts.step < leaves.step
            and leaves.change = 'left'
    where starts.change <> 'left' and (starts.previous_change is null or starts.previous_change = 'left')
    group by starts.coalition_id, starts.org_id, starts.step, starts.occurred_at

)

select
    spans.coalition_id,
    spans.org_id,
    spans.joined_at,
    case
        when dissolutions.dissolved_at is null then spans.left_at
        when spans.left_at is null then dissolutions.dissolved_at
        else least(spans.left_at, dissolutions.dissolved_at)
    end as left_at
from spans
left join dissolutions
    on spans.coalition_id = dissolutions.coalition_id
