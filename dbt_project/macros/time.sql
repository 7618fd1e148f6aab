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

{#- One row per month from the month of first_expr to that of last_expr
    (both scalar subqueries), column `month`. -#}
{% macro month_spine(first_expr, last_expr) -%}
    {{ return(adapter.dispatch('month_spine', 'coopmetrics')(first_expr, last_expr)) }}
{%- endmacro %}

{% macro default__month_spine(first_expr, last_expr) -%}
    select cast(generate_series as date) as month
    from generate_series(
        cast(({{ first_expr }}) as timestamp),
        cast(({{ last_expr }}) as timestamp),
        interval 1 month
    )
{%- endmacro %}
