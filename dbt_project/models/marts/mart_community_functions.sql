-- The community manager's five functions per registered organisation and
-- quarter: see mart_community_functions.yml.
with

coalition_entries as (

    select
        org_id,
        {{ quarter_of('joined_at') }} as quarter,
        count(distinct coalition_id) as coalitions_joined
    from {{ ref('int_coalition_memberships') }}
    group by org_id, {{ quarter_of('joined_at') }}

),

coalitions_active as (

    select
        spans.org_id,
        quarters.quarter,
        count(distinct spans.coalition_id) as coalitions_active
    from {{ ref('int_quarters') }} as quarters
    inner join {{ ref('int_coalition_memberships') }} as spans
        on {{ within_span('quarters.ends_at', 'spans.joined_at', 'spans.left_at') }}
    group by spans.org_id, quarters.quarter

),

tables_joined as (

    select
        org_id,
        {{ quarter_of('joined_at') }} as quarter,
        count(*) as tables_joined
    from {{ ref('int_policy_tables') }}
    group by org_id, {{ quarter_of('joined_at') }}

),

tables_held as (

    select
        seats.org_id,
        quarters.quarter,
        count(distinct seats.table_id) as tables_held
    from {{ ref('int_quarters') }} as quarters
    inner join {{ ref('int_policy_tables') }} as seats
        on {{ within_span('quarters.ends_at', 'seats.joined_at', 'seats.left_at') }}
    group by seats.org_id, quarters.quarter

),

angel_facts as (

    -- value an organisation put into another organisation's existing initiative
    select
        funder_org_id as org_id,
        quarter,
        amount_eur as value_eur
    from {{ ref('int_resources_valid') }}
    where initiative_exists and funder_org_id <> initiative_org_id

    union all

    select
        contributing_org_id as org_id,
        quarter,
        value_eur
    from {{ ref('int_contributions_valued') }}
    where initiative_exists and contributing_org_id <> initiative_org_id

    union all

    select
        org_id,
        {{ quarter_of('occurred_at') }} as quarter,
        value_eur
    from {{ ref('int_asset_shares_valued') }}
    where initiative_exists and is_coproduced

),

angels as (

    select
        org_id,
        quarter,
        sum(value_eur) as angel_eur
    from angel_facts
    group by org_id, quarter

),

embedded as (

    select
        initiative_org_id as org_id,
        quarter,
        count(distinct initiative_id) as community_embedded_initiatives
    from {{ ref('int_contributions_valued') }}
    where initiative_exists and contributing_org_id = 'community'
    group by initiative_org_id, quarter

),

coproduction as (

    select
        org_id,
        {{ quarter_of('month') }} as quarter,
        sum(own_value_eur) as own_value_eur,
        sum(coproduced_value_eur) as coproduced_value_eur
    from {{ ref('int_initiative_months') }}
    group by org_id, {{ quarter_of('month') }}

)

select
    organisations.org_id,
    quarters.quarter,
    spanners.boundary_spanner_share as liminal_share,
    coalesce(spanners.people_active, 0) as people_active,
    coalesce(spanners.boundary_spanners, 0) as boundary_spanners,
    coalesce(coalition_entries.coalitions_joined, 0) as coalitions_joined,
    coalesce(coalitions_active.coalitions_active, 0) as coalitions_active,
    coalesce(tables_joined.tables_joined, 0) as tables_joined,
    coalesce(tables_held.tables_held, 0) as tables_held,
    {{ money('coalesce(angels.angel_eur, 0)') }} as angel_eur,
    coalesce(embedded.community_embedded_initiatives, 0) as community_embedded_initiatives,
    cast(coproduction.coproduced_value_eur as double)
    / nullif(cast(coproduction.own_value_eur + coproduction.coproduced_value_eur as double), 0) as coproduction_ratio
from {{ ref('stg_registry__organisations') }} as organisations
cross join {{ ref('int_quarters') }} as quarters
left join {{ ref('mart_boundary_spanners') }} as spanners
    on organisations.org_id = spanners.org_id and quarters.quarter = spanners.quarter
left join coalition_entries
    on organisations.org_id = coalition_entries.org_id and quarters.quarter = coalition_entries.quarter
left join coalitions_active
    on organisations.org_id = coalitions_active.org_id and quarters.quarter = coalitions_active.quarter
left join tables_joined
    on organisations.org_id = tables_joined.org_id and quarters.quarter = tables_joined.quarter
left join tables_held
    on organisations.org_id = tables_held.org_id and quarters.quarter = tables_held.quarter
left join angels
    on organisations.org_id = angels.org_id and quarters.quarter = angels.quarter
left join embedded
    on organisations.org_id = embedded.org_id and quarters.quarter = embedded.quarter
left join coproduction
    on organisations.org_id = coproduction.org_id and quarters.quarter = coproduction.quarter
