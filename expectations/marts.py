"""The marts suite: the value domains of METRICS.md on every mart (money and
counts not negative, shares and ratios within [0, 1], scores within the
1-5 scale, a whole never smaller than its part). Keys, nullness and
accepted categories of the marts are dbt tests (_marts.yml); these rules
live only here."""

from __future__ import annotations

from typing import Any

# mart -> the columns that name a row (sample keys in failure messages)
MART_KEYS: dict[str, list[str]] = {
    "mart_shared_value": ["org_id", "initiative_id", "month"],
    "mart_resource_mix": ["org_id", "quarter"],
    "mart_spillovers": ["org_id", "initiative_id"],
    "mart_org_spillovers": ["org_id"],
    "mart_coalitions": ["coalition_id"],
    "mart_boundary_spanners": ["org_id", "quarter"],
    "mart_consortium_monthly": ["month"],
}
_NOT_NEGATIVE = {
    "mart_shared_value": ["own_value_eur", "coproduced_value_eur", "resources_eur", "total_value_eur",
                          "contributing_orgs", "contributors", "feedback_count"],
    "mart_resource_mix": ["public_grant_eur", "private_donation_eur", "member_fees_eur", "earned_income_eur",
                          "partner_org_eur", "crowdfunding_eur", "total_eur"],
    "mart_spillovers": ["direct_spillovers", "max_depth", "cross_sector_spillovers", "cross_locality_spillovers",
                        "own_value_eur", "spillover_value_eur", "days_to_first_spillover"],
    "mart_org_spillovers": ["spillovers_originated", "spillovers_received", "internal_spillovers"],
    "mart_coalitions": ["lifespan_days", "member_orgs_current", "localities"],
    "mart_boundary_spanners": ["boundary_spanners"],
    "mart_consortium_monthly": ["orgs_active", "initiatives_launched", "cross_org_spillover_edges",
                                "total_value_eur", "coproduced_value_eur", "active_members"],
}
_SHARES = {  # within [0, 1]
    "mart_shared_value": ["coproduction_ratio"],
    "mart_coalitions": ["sector_diversity"],
    "mart_boundary_spanners": ["boundary_spanner_share"],
    "mart_consortium_monthly": ["coproduction_ratio"],
}
_SCORES = {  # feedback scores average within the 1-5 scale of feedback.recorded
    "mart_shared_value": ["feedback_score_avg"],
    "mart_consortium_monthly": ["feedback_score_avg"],
}
_WHOLE_AND_PART = {  # (whole, part): the whole is never smaller
    "mart_shared_value": [("total_value_eur", "coproduced_value_eur")],
    "mart_spillovers": [("total_spillovers", "direct_spillovers"), ("total_spillovers", "cross_org_spillovers")],
    "mart_coalitions": [("member_orgs_ever", "member_orgs_current")],
    "mart_boundary_spanners": [("people_active", "boundary_spanners")],
    "mart_consortium_monthly": [("spillover_edges", "cross_org_spillover_edges")],
}
# resource_mix_index is 1 - sum of squared shares over the six source types,
# so at most 1 - 1/6 (a Gini-Simpson index of six evenly used sources)
_RESOURCE_MIX_MAX = 1 - 1 / 6 + 1e-9


def mart_expectations(mart: str) -> list[Any]:
    import great_expectations as gx

    e = gx.expectations
    critical = {"severity": "critical"}
    rules: list[Any] = []
    for column in _NOT_NEGATIVE.get(mart, []):
        rules.append(e.ExpectColumnValuesToBeBetween(column=column, min_value=0, **critical))
    for column in _SHARES.get(mart, []):
        rules.append(e.ExpectColumnValuesToBeBetween(column=column, min_value=0, max_value=1, **critical))
    for column in _SCORES.get(mart, []):
        rules.append(e.ExpectColumnValuesToBeBetween(column=column, min_value=1, max_value=5, **critical))
    for whole, part in _WHOLE_AND_PART.get(mart, []):
        rules.append(e.ExpectColumnPairValuesAToBeGreaterThanB(column_A=whole, column_B=part, or_equal=True,
                                                                **critical))
    if mart == "mart_resource_mix":
        rules.append(e.ExpectColumnValuesToBeBetween(column="resource_mix_index", min_value=0,
                                                     max_value=_RESOURCE_MIX_MAX, **critical))
    return rules
