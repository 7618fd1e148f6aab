{{ config(materialized='table') }}

-- Coalition membership as a fold over each coalition's events in
-- occurred_at order (ties by arrival): every event is judged against the
-- members of that moment, which earlier verdicts decided. A coalition
-- belongs to whoever formed it first by storage order: the first stored
-- coalition.formed whose emitter is among its founders is the founding one,
-- whatever its occurred_at; any other formed event for the same id is
-- 'coalition_exists' (or 'not_a_member' when its emitter is not among the
-- founders it names), so no one can take a coalition over by back-dating a
-- formation. An event emitted by an organisation that is not a member then
-- changes nothing ('not_a_member'); an organisation may always record its
-- own coalition.joined. Events before the founding are 'before_formation'
-- and the fold stops at dissolution; formed events after it are still
-- listed, as 'coalition_exists'.
with recursive

changes as (

    select changes.*
    from {{ ref('stg_events__coalition_changes') }} as changes
    inner join {{ ref('int_events__effective') }} using (event_seq)

),

by_event as (

    -- one row an event: a formed event carries its founders
    select
        coalition_id,
        org_id as emitter_org_id,
        event_id,
        event_seq,
        occurred_at,
        change,
        {{ distinct_list_agg('member_org_id') }} as subjects
    from changes
    group by coalition_id, org_id, event_id, event_seq, occurred_at, change

),

founding as (

    select
        coalition_id,
        min(event_seq) as founding_seq
    from by_event
    where change = 'formed' and {{ list_has('subjects', 'emitter_org_id') }}
    group by coalition_id

),

events as (

    -- the founding formation comes first among events of its instant
    select
        by_event.*,
        coalesce(by_event.event_seq = founding.founding_seq, false) as is_founding,
        row_number() over (
            partition by by_event.coalition_id
            order by
                by_event.occurred_at,
                case when by_event.event_seq = founding.founding_seq then 0 else 1 end,
                by_event.event_seq
        ) as step
    from by_event
    left join founding using (coalition_id)

),

fold as (

    select
        coalition_id,
        cast(0 as bigint) as step,
        cast(null as string) as event_id,
        cast(null as string) as emitter_org_id,
        cast(null as timestamp) as occurred_at,
        cast(null as string) as change,
        cast(null as string) as verdict,
        {{ empty_string_list() }} as members,
        cast(null as timestamp) as formed_at,
        cast(null as timestamp) as dissolved_at
    from events
    group by coalition_id

    union all

    select
        coalition_id,
        step,
        event_id,
        emitter_org_id,
        occurred_at,
        change,
        verdict,
        case
            when verdict <> 'applied' then members
            when change = 'formed' then subjects
            when change = 'joined' then {{ list_with('members', list_first('subjects')) }}
            when change = 'left' then {{ list_without('members', list_first('subjects')) }}
            else members
        end as members,
        case when verdict = 'applied' and change = 'formed' then occurred_at else formed_at end as formed_at,
        case when verdict = 'applied' and change = 'dissolved' then occurred_at end as dissolved_at
    from (
        select
            e.*,
            f.members,
            f.formed_at,
            case
                when e.change = 'formed' then {{ formation_verdict('e') }}
                when f.formed_at is null then 'before_formation'
                when e.change = 'joined' and {{ list_first('e.subjects') }} = e.emitter_org_id then 'applied'
                when {{ list_has('f.members', 'e.emitter_org_id') }} then 'applied'
                else 'not_a_member'
            end as verdict
        from fold as f
        inner join events as e
            on f.coalition_id = e.coalition_id and e.step = f.step + 1
        where f.dissolved_at is null
    ) as judged

),

fold_ends as (

    select
        coalition_id,
        max(step) as last_step
    from fold
    group by coalition_id

)

select
    coalition_id,
    step,
    event_id,
    emitter_org_id,
    occurred_at,
    change,
    verdict,
    members,
    {{ list_length('members') }} as member_count,
    formed_at,
    dissolved_at
from fold
where step > 0

union all

-- formed events after the dissolution the fold stopped at
select
    e.coalition_id,
    e.step,
    e.event_id,
    e.emitter_org_id,
    e.occurred_at,
    e.change,
    {{ formation_verdict('e') }},
    {{ empty_string_list() }},
    0,
    null,
    null
from events as e
inner join fold_ends as folded
    on e.coalition_id = folded.coalition_id
where
    e.change = 'formed'
    and not e.is_founding
    and e.step > folded.last_step
