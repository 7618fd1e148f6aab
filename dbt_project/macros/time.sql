{#- The as-of watermark: var('as_of') or the start of this dbt invocation. -#}
{% macro as_of() -%}
    {%- set value = var('as_of', none) -%}
    {%- if value is none or value == '' -%}
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
    {%- else -%}
        cast('{{ value | replace("T", " ") | replace("Z", "") }}' as timestamp)
    {%- endif -%}
{%- endmacro %}

{% macro month_of(ts) -%}
    cast({{ dbt.date_trunc('month', ts) }} as date)
{%- endmacro %}

{% macro quarter_of(ts) -%}
    cast({{ dbt.date_trunc('quarter', ts) }} as date)
{%- endmacro %}

{#- Whole days between two timestamps: the floor of the difference in days. -#}
{% macro whole_days(start_ts, end_ts) -%}
    {{ return(adapter.dispatch('whole_days', 'coopmetrics')(start_ts, end_ts)) }}
{%- endmacro %}

{#- The difference is taken in integer microseconds, then divided once, so
    both engines round the same way and a day boundary is never missed by
    one microsecond (exact for spans up to a century). -#}
{% macro default__whole_days(start_ts, end_ts) -%}
    cast(floor(({{ epoch_micros(end_ts) }} - {{ epoch_micros(start_ts) }}) / 86400000000.0) as integer)
{%- endmacro %}

{% macro epoch_micros(ts) -%}
    {{ return(adapter.dispatch('epoch_micros', 'coopmetrics')(ts)) }}
{%- endmacro %}

{% macro default__epoch_micros(ts) -%}
    epoch_us({{ ts }})
{%- endmacro %}

{% macro spark__epoch_micros(ts) -%}
    unix_micros({{ ts }})
{%- endmacro %}

{#- Money is rounded half away from zero, only at a mart's output columns; 38 digits hold
    any sum of accepted amounts (each at most 1e9, sources/schemas/_defs.json). -#}
{% macro money(expr) -%}
    cast(round(cast({{ expr }} as decimal(38, 6)), 2) as decimal(38, 2))
{%- endmacro %}

{#- One row per period start from first_expr to last_expr (both scalar
    subqueries giving period starts), in steps of `months`, column `name`. -#}
{% macro period_spine(first_expr, last_expr, months=1, name='month') -%}
    {{ return(adapter.dispatch('period_spine', 'coopmetrics')(first_expr, last_expr, months, name)) }}
{%- endmacro %}

{% macro default__period_spine(first_expr, last_expr, months, name) -%}
    select cast(generate_series as date) as {{ name }}
    from generate_series(
        cast(({{ first_expr }}) as timestamp),
        cast(({{ last_expr }}) as timestamp),
        interval {{ months }} month
    )
{%- endmacro %}

{% macro spark__period_spine(first_expr, last_expr, months, name) -%}
    select explode(sequence(
        cast(({{ first_expr }}) as date),
        cast(({{ last_expr }}) as date),
        interval {{ months }} month
    )) as {{ name }}
{%- endmacro %}

{% macro month_spine(first_expr, last_expr) -%}
    {{ period_spine(first_expr, last_expr, 1, 'month') }}
{%- endmacro %}

{#- The instant just before a period ends (microsecond resolution). -#}
{% macro last_instant(period_start, months) -%}
    cast({{ period_start }} as timestamp) + interval {{ months }} month - interval 1 microsecond
{%- endmacro %}
