"""The staging suite, generated from sources/schemas: every typed staging
model presents its events at the latest schema version (v1 upcast), so each
payload field's rules of that latest schema must hold on its column after
typing and upcasting: required -> not null, enum -> in set, pattern ->
regex, minLength/maxLength -> lengths, minimum/maximum (exclusive or not)
-> between. Nothing here is written by hand except which model holds which
event types and the one column renamed on the way."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from orchestration.core.schemas import latest_versions, load_event_schemas

KEY_COLUMNS = ["org_id", "event_id"]
# typed staging model -> the event types it holds (event.retracted has no
# typed model: staging applies retractions in stg_events__effective)
TYPED_MODELS: dict[str, tuple[str, ...]] = {
    "stg_events__member_joined": ("member.joined",),
    "stg_events__member_left": ("member.left",),
    "stg_events__initiative_launched": ("initiative.launched",),
    "stg_events__initiative_closed": ("initiative.closed",),
    "stg_events__practice_replicated": ("practice.replicated",),
    "stg_events__contribution_logged": ("contribution.logged",),
    "stg_events__resource_committed": ("resource.committed",),
    "stg_events__asset_shared": ("asset.shared",),
    "stg_events__feedback_recorded": ("feedback.recorded",),
    "stg_events__coalition_changes": ("coalition.formed", "coalition.joined", "coalition.left",
                                      "coalition.dissolved"),
}
# the payload's org_id of coalition.joined/left is the member, not the publisher
RENAMED = {"stg_events__coalition_changes": {"org_id": "member_org_id"}}


@dataclass(frozen=True)
class FieldRule:
    column: str
    node: dict[str, Any]
    required: bool


def field_rules(schema: dict[str, Any], prefix: tuple[str, ...] = (), required: bool = True) -> Iterator[FieldRule]:
    """Leaf fields of an object schema; nested objects flatten to a_b columns
    (initiative.org_id -> initiative_org_id) unless the leaf already carries
    its parent's name (initiative.initiative_id -> initiative_id), as the
    staging models name them."""
    needed = set(schema.get("required", []))
    for name, node in schema.get("properties", {}).items():
        path = (*prefix, name)
        if node.get("type") == "object":
            yield from field_rules(node, path, required and name in needed)
        elif node.get("type") != "array":
            column = name if prefix and name.startswith(f"{prefix[-1]}_") else "_".join(path)
            yield FieldRule(column, node, required and name in needed)


def _expectations_for(rule: FieldRule) -> Iterator[Any]:
    import great_expectations as gx

    e, node, column = gx.expectations, rule.node, rule.column
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
    rules_by_type = [[FieldRule(renamed.get(r.column, r.column), r.node, r.required)
                      for r in field_rules(latest[t].schema)] for t in TYPED_MODELS[model]]
    # types merged in one model share a field's rules; a field required by
    # only some of them is not required of the model's column
    required_by_all = set.intersection(*({r.column for r in rules if r.required} for rules in rules_by_type))
    seen: dict[str, Any] = {}
    for rules in rules_by_type:
        for rule in rules:
            if columns is not None and rule.column not in columns:
                continue
            for expectation in _expectations_for(FieldRule(rule.column, rule.node, rule.column in required_by_all)):
                seen.setdefault(f"{expectation.expectation_type}:{rule.column}", expectation)
    return list(seen.values())
