{#- How concentrated the value of each (org_id, initiative_id, quarter) is
    among its sources (`relation` has one row a source: its id in column
    `source`, its value_eur): `elephant_factor`, the fewest sources whose largest totals
    (ties by source id ascending) reach at least half of the whole value;
    `diversity_index`, 1 - the sum of squared shares; both NULL when the
    whole value is 0; `sources`, how many there are. CHAOSS's elephant
    factor, and its contributor absence factor when the sources are people. -#}
{% macro concentration(relation, source) -%}
    select
        org_id,
        initiative_id,
        quarter,
        count(*) as sources,
        case when max(whole_eur) > 0 then min(place) filter (where 2 * running_eur >= whole_eur) end
            as elephant_factor,
        case when max(whole_eur) > 0 then
            1 - sum(power(cast(value_eur as double) / cast(whole_eur as double), 2))
        end as diversity_index
    from (
        select
            org_id,
            initiative_id,
            quarter,
            value_eur,
            sum(value_eur) over (partition by org_id, initiative_id, quarter) as whole_eur,
            sum(value_eur) over (
                partition by org_id, initiative_id, quarter
                order by value_eur desc, {{ source }}
                rows between unbounded preceding and current row
            ) as running_eur,
            row_number() over (
                partition by org_id, initiative_id, quarter
                order by value_eur desc, {{ source }}
            ) as place
        from {{ relation }}
    ) as ranked
    group by org_id, initiative_id, quarter
{%- endmacro %}
