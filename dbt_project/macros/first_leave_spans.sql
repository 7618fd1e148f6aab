{#- Spans from joins to leaves: one a join instant of each key (the `keys`
    columns of both relations), ending at the first leave of the same key
    strictly after it (NULL: still open); `carried` are select expressions
    over the joins (a join's own columns, e.g. max_by(joins.role,
    joins.event_seq) for the latest stored at that instant). A key holds at t
    exactly when some span has starts <= t < ends (within_span), which is
    the rule that its latest join at or before t has no later leave at or
    before t. -#}
{% macro first_leave_spans(joins, leaves, keys, starts, ends, carried=[]) -%}
    select
        {%- for key in keys %}
        joins.{{ key }},
        {%- endfor %}
        joins.occurred_at as {{ starts }},
        min(leaves.occurred_at) as {{ ends }}
        {%- for expression in carried %},
        {{ expression }}
        {%- endfor %}
    from {{ joins }} as joins
    left join {{ leaves }} as leaves
        on {% for key in keys %}joins.{{ key }} = leaves.{{ key }}
            and {% endfor %}joins.occurred_at < leaves.occurred_at
    group by {% for key in keys %}joins.{{ key }}, {% endfor %}joins.occurred_at
{%- endmacro %}
