"""The staging suite, generated from sources/schemas: every typed staging
model presents its events at the latest schema version (v1 upcast), so each
payload field's rules of that latest schema must hold on its column after
typing and upcasting: required -> not null, enum -> in set, pattern ->
regex, minLength/maxLength -> lengths, minimum/maximum (exclusive or not)
-> between. Nothing here is written by hand except which model holds which
event types (orchestration/core/schemas.py) and the one column renamed on
the way."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from orchestration.core.schemas import (
    PayloadColumn,
    latest_versions,
    load_event_schemas,
    payload_columns,
    typed_staging_models,
)

KEY_COLUMNS = ["org_id", "event_id"]
# the payload's org_id of coalition.joined/left is the member, not the publisher
RENAMED = {"stg_events__coalition_changes": {"org_id": "member_org_id"}}


def typed_models() -> dict[str, tuple[str, ...]]:
    """Typed staging model -> the event types it holds."""
    return typed_staging_models()


def _expectations_for(rule: PayloadColumn) -> Iterator[Any]:
    import great_expectations as gx

    e, node, column = gx.expectations, rule.rule, rule.column
    critical = {"severity": "critical"}
    if rule.required:
        yield e.ExpectColumnValuesToNotBeNull(column=column, **critical)
    if "enum" in node:
        yield e.ExpectColumnValuesToBeInSet(column=column, value_set=list(node["enum"]), **critical)
    if "pattern" in node:
        yield e.ExpectColumnValuesToMatchRegex(column=column, regex=node["pattern"], **critical)
    if "minLength" in node or "maxLength" in node:
        yield e.ExpectColumnValueLengthsToBeBetween(column=column, min_value=node.get("minLength"),
                                                    max_value=node.get("maxLength"), **critical)
    low = node.get("minimum", node.get("exclusiveMinimum"))
    high = node.get("maximum", node.get("exclusiveMaximum"))
    if low is not None or high is not None:
        yield e.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high,
                                              strict_min="exclusiveMinimum" in node,
                                              strict_max="exclusiveMaximum" in node, **critical)


def staging_expectations(model: str, columns: set[str] | None = None) -> list[Any]:
    """The suite of one typed staging model. With `columns`, a field whose
    column the model does not have is left out (a field that is present in
    only some of the model's types, e.g. an array of founding members)."""
    latest = latest_versions(load_event_schemas())
    renamed = RENAMED.get(model, {})
    rules_by_type = [[replace(r, column=renamed.get(r.column, r.column)) for r in payload_columns(latest[t].schema)]
                     for t in typed_models()[model]]
    # types merged in one model share a field's rules; a field required by
    # only some of them is not required of the model's column
    required_by_all = set.intersection(*({r.column for r in rules if r.required} for rules in rules_by_type))
    seen: dict[str, Any] = {}
    for rules in rules_by_type:
        for rule in rules:
            if columns is not None and rule.column not in columns:
                continue
            for expectation in _expectations_for(replace(rule, required=rule.column in required_by_all)):
                seen.setdefault(f"{expectation.expectation_type}:{rule.column}", expectation)
    return list(seen.values())
