"""The dbt files written from the JSON Schemas, so the contract is declared
once (sources/schemas) and dbt reads it: the payload docs blocks, the
contract macro (each event type's latest version, every enum and numeric
bound of the payloads, the staging columns of its fields, the rules the
data test payload_rules judges each typed model by) and one typed
staging model per event type; and, from the marts' yml, the metric catalogue
of docs/metrics.md (orchestration/transform/metric_catalogue.py).

    coopmetrics generate-dbt           # rewrites them
    coopmetrics generate-dbt --check   # exits 1 naming the stale ones

The files are committed (dbt parses them like any other); a test fails
when one differs from what the schemas give."""

from __future__ import annotations

import json
from pathlib import Path

from orchestration.core.schemas import (
    HAND_WRITTEN_STAGING,
    EventSchema,
    latest_versions,
    load_event_schemas,
    payload_columns,
    typed_staging_models,
)
from orchestration.core.settings import DBT_PROJECT_DIR
from orchestration.core.staging_rules import all_staging_rules
from orchestration.transform.metric_catalogue import METRICS_DOC, with_catalogue
from orchestration.transform.schema_docs import DOCS_FILE, render

CONTRACT_MACRO = DBT_PROJECT_DIR / "macros" / "contract.sql"
STAGING_DIR = DBT_PROJECT_DIR / "models" / "staging"
HEADER = "generated from sources/schemas by `coopmetrics generate-dbt`: do not edit"
_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def _accessor(rule: dict) -> str:
    if rule.get("format") == "date":
        return "json_date"
    return {"string": "json_text", "number": "json_number", "integer": "json_int"}[rule["type"]]


def staging_model(schema: EventSchema) -> str:
    """A typed staging model: its two CTEs are the macro typed_event_staging's
    (macros/staging.sql), from the columns the contract macro lists."""
    upcast = f" at its latest version (v{schema.version}; upcast in macros/upcast.sql)" if schema.version > 1 else ""
    return "\n".join([
        f"-- {HEADER}.",
        f"-- Every stored {schema.event_type} event{upcast}, typed",
        "-- (see stg_events__effective for which count).",
        f"{{{{ typed_event_staging('{schema.event_type}') }}}}", ""])


def _enums_and_bounds(schemas: dict[tuple[str, int], EventSchema]) -> tuple[dict, dict]:
    enums: dict[str, list] = {}
    bounds: dict[str, dict] = {}
    for schema in latest_versions(schemas).values():
        for name, rule in schema.schema.get("properties", {}).items():
            key = f"{schema.event_type}.{name}"
            if "enum" in rule:
                enums[key] = rule["enum"]
            if any(b in rule for b in _BOUNDS):
                bounds[key] = {b: rule[b] for b in _BOUNDS if b in rule}
    return enums, bounds


def contract_macro(schemas: dict[tuple[str, int], EventSchema]) -> str:
    latest = {event_type: s.version for event_type, s in latest_versions(schemas).items()}
    enums, bounds = _enums_and_bounds(schemas)
    columns = {event_type: [[_accessor(c.rule), ".".join(c.path), c.column] for c in payload_columns(s.schema)]
               for event_type, s in latest_versions(schemas).items()}
    contract = {"latest_versions": latest, "enums": enums, "bounds": bounds, "staging_columns": columns,
                "staging_rules": all_staging_rules()}
    # a line an entry: the contract reads as a table, and a schema change is a one-line diff
    sections = [f'        "{name}": {{\n' + ",\n".join(f"            {json.dumps(key)}: {json.dumps(value)}"
                                                   for key, value in sorted(entries.items())) + "\n        }"
                for name, entries in sorted(contract.items())]
    return "\n".join([
        f"{{#- {HEADER}.", "    Read through the macros of macros/contract_values.sql. -#}",
        "{% macro contract() -%}", "    {{ return({", ",\n".join(sections), "    }) }}", "{%- endmacro %}", ""])


def generated_files() -> dict[Path, str]:
    schemas = load_event_schemas()
    files = {DOCS_FILE: render(schemas), CONTRACT_MACRO: contract_macro(schemas)}
    latest = latest_versions(schemas)
    for model, (event_type, *_) in typed_staging_models().items():
        if model not in HAND_WRITTEN_STAGING:
            files[STAGING_DIR / f"{model}.sql"] = staging_model(latest[event_type])
    files[METRICS_DOC] = with_catalogue(METRICS_DOC.read_text(encoding="utf-8"))
    return files


def stale_files() -> list[Path]:
    return [path for path, text in generated_files().items()
            if not path.exists() or path.read_text(encoding="utf-8") != text]


def write_generated() -> list[Path]:
    written = stale_files()
    for path, text in generated_files().items():
        if path in written:
            path.write_text(text, encoding="utf-8")
    return written
