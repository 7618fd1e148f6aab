{{ config(materialized='table') }}

-- Coalition membership as a fold over each coalition's events in
-- occurred_at order (ties by arrival): every event is judged against the
-- members of that moment, which earlier verdicts decided. An event emitted
-- by an organisation that is not a member then changes nothing
-- ('not_a_member'); the founders count as members for coalition.formed,
-- and an organisation may always record its own coalition.joined. Events
-- before the first valid formation and later formed events are ignored,
-- and the fold stops at dissolution.
with recursive

changes as (

    select changes.*
    from {{ ref('stg_events__coalition_changes') }} as changes
    inner join {{ ref('int_events__effective') }} using (event_seq)

),

events as (

    -- one row an event: a formed event carries its founders
    select
        coalition_id,
        org_id as emitter_org_id,
        event_id,
        event_seq,
        occurred_at,
        change,
        {{ distinct_list_agg('member_org_id') }} as subjects,
        row_number() over (partition by coalition_id order by occurred_at, event_seq) as step
    from changes
    group by coalition_id, org_id, event_id, event_seq, occurred_at, change

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
                when f.formed_at is null and e.change = 'formed'
                    then case
                            when {{ list_has('e.subjects', 'e.emitter_org_id') }} then 'applied' else 'not_a_member'
                        end
                when f.formed_at is null then 'before_formation'
                when e.change = 'formed' then 'formed_again'
                when e.change = 'joined' and {{ list_first('e.subjects') }} = e.emitter_org_id then 'applied'
                when {{ list_has('f.members', 'e.emitter_org_id') }} then 'applied'
                else 'not_a_member'
            end as verdict
        from fold as f
        inner join events as e
            on f.coalition_id = e.coalition_id and e.step = f.step + 1
        where f.dissolved_at is null
    ) as judged

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
