-- Every quarter from the first to the last holding an effective event, with
-- its end: its last instant, or as_of for the quarter holding it; n numbers
-- the quarters consecutively (quarter_number). Truncation keeps order, so
-- the spine runs from the quarters of the first and last instants: two
-- aggregates over the store, not a truncation a row.
select
    quarter,
    {{ quarter_number('quarter') }} as n,
    least({{ last_instant('quarter', 3) }}, {{ as_of() }}) as ends_at
from (
    {{ period_spine(
        'select ' ~ quarter_of('min(occurred_at)') ~ ' from ' ~ ref('int_events__effective'),
        'select ' ~ quarter_of('max(occurred_at)') ~ ' from ' ~ ref('int_events__effective'),
        3, 'quarter') }}
) as spine
