"""The payload rules the typed staging models are tested with, from
sources/schemas: every typed model presents its events at the latest
schema version (v1 upcast), so each payload field's rules of that latest
schema must still hold on its column after typing and upcasting: required
-> not null, enum -> in set, pattern -> a match, minLength/maxLength ->
lengths, minimum/maximum (exclusive or not) -> bounds. They reach dbt
through the generated contract macro and are judged by the data test
`payload_rules` (macros/payload_rules.sql) on the rows stored since the
latest current build, in the same `dbt build` as the models they guard:
a broken rule stops what reads the model. Nothing here is written by hand
but which model holds which event types (core/schemas.py) and the one
column renamed on the way."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from orchestration.core.schemas import (
    PayloadColumn,
    latest_versions,
    load_event_schemas,
    payload_columns,
    typed_staging_models,
)

# the payload's org_id of coalition.joined/left is the member, not the publisher
RENAMED = {"stg_events__coalition_changes": {"org_id": "member_org_id"}}
_BOUNDS = {"minimum": ("minimum", False), "exclusiveMinimum": ("minimum", True),
           "maximum": ("maximum", False), "exclusiveMaximum": ("maximum", True)}


def _rule(column: PayloadColumn) -> dict[str, Any]:
    """One column's rules, as the test reads them (only the keys that apply: the contract has no nulls)."""
    node = column.rule
    found: dict[str, Any] = {"column": column.column, "required": column.required}
    if "enum" in node:
        found["enum"] = list(node["enum"])
    if "pattern" in node:
        found["pattern"] = node["pattern"]
    for keyword, name in (("minLength", "min_length"), ("maxLength", "max_length")):
        if keyword in node:
            found[name] = node[keyword]
    for keyword, (name, exclusive) in _BOUNDS.items():
        if keyword in node:
            found[name], found[f"{name}_exclusive"] = node[keyword], exclusive
    return found


def staging_rules(model: str) -> list[dict[str, Any]]:
    """The rules of one typed staging model, a column each. Types merged in
    one model share a field's rules (the first type's), and a field
    required by only some of them is not required of the model's column."""
    latest = latest_versions(load_event_schemas())
    renamed = RENAMED.get(model, {})
    by_type = [[replace(c, column=renamed.get(c.column, c.column)) for c in payload_columns(latest[t].schema)]
               for t in typed_staging_models()[model]]
    required_by_all = set.intersection(*({c.column for c in columns if c.required} for columns in by_type))
    seen: dict[str, dict[str, Any]] = {}
    for columns in by_type:
        for column in columns:
            merged = seen.setdefault(column.column, {})
            for key, value in _rule(replace(column, required=column.column in required_by_all)).items():
                merged.setdefault(key, value)
    return [rule for rule in seen.values() if len(rule) > 2 or rule["required"]]


def all_staging_rules() -> dict[str, list[dict[str, Any]]]:
    return {model: staging_rules(model) for model in sorted(typed_staging_models())}
