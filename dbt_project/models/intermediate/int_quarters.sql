-- Every quarter from the first to the last holding an effective event, with
-- its end: its last instant, or as_of for the quarter holding it; n numbers
-- the quarters consecutively (quarter_number).
select
    quarter,
    {{ quarter_number('quarter') }} as n,
    least({{ last_instant('quarter', 3) }}, {{ as_of() }}) as ends_at
from (
    {{ period_spine(
        'select min(' ~ quarter_of('occurred_at') ~ ') from ' ~ ref('int_events__effective'),
        'select max(' ~ quarter_of('occurred_at') ~ ') from ' ~ ref('int_events__effective'),
        3, 'quarter') }}
) as spine
