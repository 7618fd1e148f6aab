{#- Tables kept up to date by their touched keys. A delivery touches few
    rows of the tables derived from every fact (the effective keys, the
    valued facts, the sums per initiative and month): such a table deletes
    the rows whose value the events stored after the previous build may
    change (pre-hook) and appends them computed again from the whole of
    their inputs. Every row is either untouched, hence what a full build
    gives, or computed by the full build's own SQL: incremental equals
    replay by construction (tests/test_touched_keys.py). DuckDB only: a
    Parquet table on Spark cannot delete, so there they are plain tables. -#}

{#- The event_seq through which the previous build of this code holds every
    stored event: the var built_through, which the pipeline's build plan
    passes (orchestration/transform/plan.py); 0, the default, builds the
    tables whole: dbt run by hand, after changed code or registry, an as-of
    build that did not know every stored event, or a build that did not
    finish. -#}
{% macro built_through() -%}
    {{ return(var('built_through', 0) | int) }}
{%- endmacro %}

{#- dbt's rule for a full refresh (the model's full_refresh config, else the
    --full-refresh flag), and one more: a table kept by touched keys (meta
    touched_keys) with no bound to start from is replaced whole, as a table
    model is, rather than emptied and filled again through a temporary table
    (4-5 s more at 10M events). -#}
{% macro should_full_refresh() -%}
    {%- set whole = (config.get('meta') or {}).get('touched_keys', false) and built_through() == 0 -%}
    {{ return(dbt.should_full_refresh() or whole) }}
{%- endmacro %}

{#- Whether this build updates the table by its touched keys (else the
    model selects every row into a new table). -#}
{% macro by_touched_keys() -%}
    {{ return(is_incremental() and built_through() > 0) }}
{%- endmacro %}

{#- The materialisation of a touched-keys table on each engine. -#}
{% macro touched_keys_materialization() -%}
    {{ return('incremental' if target.type == 'duckdb' else 'table') }}
{%- endmacro %}

{#- Pre-hook: the rows of `this` whose key is among `touched_keys` (a
    select of the key columns); nothing when the table is built whole. -#}
{% macro delete_touched(key_columns, touched_keys) -%}
    {%- if is_incremental() -%}
    delete from {{ this }} {{ where_touched(this, key_columns, touched_keys) }}
    {%- endif -%}
{%- endmacro %}

{#- The stored events after the previous build. -#}
{% macro events_after_build(model) -%}
    select * from {{ ref(model) }} where event_seq > {{ built_through() }}
{%- endmacro %}

{#- The events that retractions stored after the previous build target
    (a retraction stored before its target is found by the effective
    events' own rule, stg_events__effective). -#}
{% macro retracted_after_build() -%}
    select
        org_id,
        {{ json_text('payload', 'event_id') }} as event_id
    from {{ ref('stg_events__events') }}
    where event_type = 'event.retracted' and event_seq > {{ built_through() }}
{%- endmacro %}

{#- The rows of a typed model stored after the previous build or targeted
    by a retraction stored after it (`retracted`: a relation of those
    targets, else worked out here): the events whose effectiveness moved. -#}
{% macro moved_events(model, columns, retracted=none) -%}
    select {{ columns | join(', ') }} from ({{ events_after_build(model) }}) as stored_after
    union all
    select {% for column in columns %}events.{{ column }}{{ ', ' if not loop.last }}{% endfor %}
    from {{ ref(model) }} as events
    inner join {{ retracted or '(' ~ retracted_after_build() ~ ')' }} as retracted
        on events.org_id = retracted.org_id
            and events.event_id = retracted.event_id
{%- endmacro %}

{#- Initiatives whose existence may have changed: a creating event stored,
    or retracted, after the previous build. -#}
{% macro initiatives_touched(retracted) -%}
    {{ moved_events('stg_events__initiative_launched', ['org_id', 'initiative_id'], retracted) }}
    union all
    {{ moved_events('stg_events__practice_replicated', ['org_id', 'initiative_id'], retracted) }}
{%- endmacro %}

{#- Members of an organisation whose membership spans may have changed. -#}
{% macro members_touched(retracted) -%}
    {{ moved_events('stg_events__member_joined', ['org_id', 'person_ref'], retracted) }}
    union all
    {{ moved_events('stg_events__member_left', ['org_id', 'person_ref'], retracted) }}
{%- endmacro %}

{#- The facts of a typed fact model whose valued row may have changed: the
    facts whose event moved, the facts of an initiative touched and, where
    `members` is given, the facts of a member touched in the initiative's
    organisation (whether they counted as internal). The arguments name the
    relations of those targets, initiatives and members. -#}
{% macro facts_touched(fact_model, retracted, initiatives, members=none) -%}
    {%- set columns = ['event_seq', 'org_id', 'event_id', 'initiative_org_id', 'initiative_id', 'occurred_at'] -%}
    {%- set through = [(initiatives, 'initiative_id')] + ([(members, 'person_ref')] if members else []) %}
    {{ moved_events(fact_model, columns, retracted) }}
    {%- for touched, key in through %}
    union all
    select {% for column in columns %}facts.{{ column }}{{ ', ' if not loop.last }}{% endfor %}
    from {{ ref(fact_model) }} as facts
    inner join {{ touched }} as touched
        on facts.initiative_org_id = touched.org_id
            and facts.{{ key }} = touched.{{ key }}
    {%- endfor %}
{%- endmacro %}

{#- The touched facts of one kind (int_touched_facts), by event_seq. -#}
{% macro touched_facts(fact) -%}
    select event_seq, org_id, event_id from {{ ref('int_touched_facts') }} where fact = '{{ fact }}'
{%- endmacro %}

{#- The initiative months whose sums may have changed: those of the facts
    touched, of every kind (a delivery adds to the latest months of most
    initiatives, so the month is part of the key). -#}
{% macro initiative_months_touched() -%}
    select distinct
        initiative_org_id as org_id,
        initiative_id,
        month
    from {{ ref('int_touched_facts') }}
{%- endmacro %}

{#- A model's filter to the keys touched, when it builds by them. -#}
{% macro where_touched(relation, key_columns, touched_keys) -%}
    {%- if by_touched_keys() -%}
    where exists (
        select 1 from ({{ touched_keys }}) as touched
        where {% for column in key_columns -%}
            touched.{{ column }} = {{ relation }}.{{ column }}{{ ' and ' if not loop.last }}
        {%- endfor %}
    )
    {%- endif -%}
{%- endmacro %}

{#- A model's relation, narrowed to the rows whose key was touched when the
    model builds by touched keys: filtered before any join, which DuckDB
    would otherwise make over every row first. -#}
{% macro touched_rows(model, key_columns, touched_keys) -%}
    {%- if by_touched_keys() -%}
    (select * from {{ ref(model) }} as candidate {{ where_touched('candidate', key_columns, touched_keys) }})
    {%- else -%}
    {{ ref(model) }}
    {%- endif -%}
{%- endmacro %}
