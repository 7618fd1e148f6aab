{#- The verdict on a coalition.formed event (int_coalition_fold): the founding
    one applies; another with its emitter among the founders it names comes
    too late (the id is taken), and one without is not its emitter's to form. -#}
{% macro formation_verdict(event) -%}
    case
        when {{ event }}.is_founding then 'applied'
        when {{ list_has(event ~ '.subjects', event ~ '.emitter_org_id') }} then 'coalition_exists'
        else 'not_a_member'
    end
{%- endmacro %}
