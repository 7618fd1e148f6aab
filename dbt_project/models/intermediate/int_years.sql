-- Every calendar year from the first to the last holding an effective
-- event, with its end: its last instant, or as_of for the year holding it.
select
    year,
    least({{ last_instant('year', 12) }}, {{ as_of() }}) as ends_at
from (
    {{ period_spine(
        'select ' ~ year_of('min(occurred_at)') ~ ' from ' ~ ref('int_events__effective'),
        'select ' ~ year_of('max(occurred_at)') ~ ' from ' ~ ref('int_events__effective'),
        12, 'year') }}
) as spine
