{#- A deflator of the catalogue as a sensitivity scenario sees it: 0.10 lower
    (floored at 0) in `low`, 0.10 higher (capped at 0.95) in `high`, when the
    scenario moves this parameter; as catalogued otherwise. -#}
{% macro moved_fraction(name) -%}
    case
        when moves.parameter = '{{ name }}' and moves.scenario = 'low'
            then greatest(catalogue.{{ name }} - 0.10, 0.0)
        when moves.parameter = '{{ name }}' and moves.scenario = 'high'
            then least(catalogue.{{ name }} + 0.10, 0.95)
        else catalogue.{{ name }}
    end
{%- endmacro %}
