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

{% macro default__whole_days(start_ts, end_ts) -%}
    cast(floor(epoch({{ end_ts }}) / 86400.0 - epoch({{ start_ts }}) / 86400.0) as integer)
{%- endmacro %}

{#- Money is rounded half away from zero, only at a mart's output columns. -#}
{% macro money(expr) -%}
    cast(round(cast({{ expr }} as decimal(18, 6)), 2) as decimal(18, 2))
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

{% macro month_spine(first_expr, last_expr) -%}
    {{ period_spine(first_expr, last_expr, 1, 'month') }}
{%- endmacro %}

{#- The instant just before a period ends (microsecond resolution). -#}
{% macro last_instant(period_start, months) -%}
    cast({{ period_start }} as timestamp) + interval {{ months }} month - interval 1 microsecond
{%- endmacro %}
