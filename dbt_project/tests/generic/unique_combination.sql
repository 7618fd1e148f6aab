{#- The grain of a model: no two rows share these columns. With `arrival`
    (a column growing with arrival, event_seq), only the keys of the rows
    that arrived after keys_checked_through() are looked up among all rows:
    the rows before it passed this test in an earlier build of the same
    code, so a repeat involves a newer row. -#}
{% test unique_combination(model, columns, arrival=none) %}
{%- set key = columns | join(', ') %}
{%- set through = keys_checked_through() if arrival else 0 %}
{%- if through > 0 %}
with

new_keys as (

    select distinct {{ key }}
    from {{ model }}
    where {{ arrival }} > {{ through }}

)

select {{ key }}, count(*) as rows_sharing_the_key
from {{ model }}
inner join new_keys using ({{ key }})
group by {{ key }}
having count(*) > 1
{%- else %}
select {{ key }}, count(*) as rows_sharing_the_key
from {{ model }}
group by {{ key }}
having count(*) > 1
{%- endif %}
{% endtest %}
