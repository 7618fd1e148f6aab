"""The marts suite: the value domains the marts' dbt yml declares on their
columns (`config: meta: domain`, `at_least`; read through
orchestration/core/marts.py), each turned into an expectation. Keys,
nullness and accepted categories are dbt tests in the same yml. Bounds that
come from the contract are read from the schemas: the feedback score's scale
from feedback.recorded, the resource-mix ceiling from the number of source
types of resource.committed."""

from __future__ import annotations

from typing import Any

from orchestration.core.marts import Mart, mart_contracts
from orchestration.core.schemas import payload_rule


def mart_keys() -> dict[str, list[str]]:
    """mart -> the columns that name a row (its grain): the marts this suite checks."""
    return {name: list(m.grain) for name, m in mart_contracts().items() if m.grain}


def domain_bounds(domain: str) -> tuple[float, float | None]:
    """(min, max) of a declared domain; None: no upper bound."""
    if domain == "not_negative":
        return 0, None
    if domain == "share":
        return 0, 1
    if domain == "feedback_score":
        score = payload_rule("feedback.recorded", "score")
        return score["minimum"], score["maximum"]
    # 1 - the sum of squared shares over the source types (a Gini-Simpson index):
    # at most 1 - 1/n, when all n are used evenly
    sources = len(payload_rule("resource.committed", "source_type")["enum"])
    return 0, 1 - 1 / sources + 1e-9


def _rules(mart: Mart) -> list[Any]:
    import great_expectations as gx

    e = gx.expectations
    critical = {"severity": "critical"}
    rules: list[Any] = []
    for column in mart.columns.values():
        if column.domain:
            low, high = domain_bounds(column.domain)
            rules.append(e.ExpectColumnValuesToBeBetween(column=column.name, min_value=low, max_value=high,
                                                         **critical))
        for part in column.at_least:
            rules.append(e.ExpectColumnPairValuesAToBeGreaterThanB(column_A=column.name, column_B=part,
                                                                    or_equal=True, **critical))
    return rules


def mart_expectations(mart: str) -> list[Any]:
    return _rules(mart_contracts()[mart])
