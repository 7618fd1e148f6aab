"""The dbt files written from the JSON Schemas, so the contract is declared
once (sources/schemas) and dbt reads it: the payload docs blocks, the
contract macro (each event type's latest version, every enum and numeric
bound of the payloads) and one typed staging model per event type.

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
from orchestration.transform.schema_docs import DOCS_FILE, render

CONTRACT_MACRO = DBT_PROJECT_DIR / "macros" / "contract.sql"
STAGING_DIR = DBT_PROJECT_DIR / "models" / "staging"
HEADER = "generated from sources/schemas by `coopmetrics generate-dbt`: do not edit"
_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def _accessor(rule: dict) -> str:
    return {"string": "json_text", "number": "json_number", "integer": "json_int"}[rule["type"]]


def staging_model(schema: EventSchema) -> str:
    upcast = schema.version > 1
    payload = "payload_latest" if upcast else "payload"
    select = (["    select", "        *,", f"        {{{{ upcast_to_latest('{schema.event_type}', 'payload', "
               "'schema_version', 'org_id') }} as payload_latest", "    from {{ ref('stg_events__events') }}"]
              if upcast else ["    select * from {{ ref('stg_events__events') }}"])
    fields = ["        {{ typed_event_envelope() }},"]
    if upcast:
        fields.append("        schema_version as delivered_schema_version,")
    columns = payload_columns(schema.schema)
    fields += [f"        {{{{ {_accessor(c.rule)}('{payload}', '{'.'.join(c.path)}') }}}} as {c.column}"
               + ("," if i < len(columns) - 1 else "") for i, c in enumerate(columns)]
    at_latest = f" at its latest version (v{schema.version}; upcast in macros/upcast.sql)" if upcast else ""
    return "\n".join([
        f"-- {HEADER}.",
        f"-- Every stored {schema.event_type} event{at_latest}, typed",
        "-- (see stg_events__effective for which count).",
        "with", "", "source as (", "", *select, f"    where event_type = '{schema.event_type}'", "", "),", "",
        "renamed as (", "", "    select", *fields, "    from source", "", ")", "", "select * from renamed", ""])


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
    contract = {"latest_versions": latest, "enums": enums, "bounds": bounds}
    body = json.dumps(contract, indent=4, sort_keys=True)
    return "\n".join([
        f"{{#- {HEADER}.", "    Read through the macros of macros/contract_values.sql. -#}",
        "{% macro contract() -%}", "    {{ return(" + body.replace("\n", "\n    ") + ") }}", "{%- endmacro %}", ""])


def generated_files() -> dict[Path, str]:
    schemas = load_event_schemas()
    files = {DOCS_FILE: render(schemas), CONTRACT_MACRO: contract_macro(schemas)}
    latest = latest_versions(schemas)
    for model, (event_type, *_) in typed_staging_models().items():
        if model not in HAND_WRITTEN_STAGING:
            files[STAGING_DIR / f"{model}.sql"] = staging_model(latest[event_type])
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
