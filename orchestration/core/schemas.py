"""The JSON Schemas under sources/schemas are the single source of truth for
the envelope and the event payloads: the dbt source docs and the GX suites
read them dereferenced through this module; ingest validates against them as
written (validation.py)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from orchestration.core.settings import SCHEMAS_DIR

_VERSION_FILE = re.compile(r"^v([1-9][0-9]*)\.json$")


class SchemaError(ValueError):
    """A schema file that cannot be used (bad reference, unsupported keyword)."""


@dataclass(frozen=True)
class EventSchema:
    event_type: str
    version: int
    schema: dict[str, Any]  # fully dereferenced
    path: Path

    @property
    def description(self) -> str:
        return self.schema.get("description", "")


def _resolve(node: Any, root: Path, seen: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_resolve(item, root, seen) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        ref = node["$ref"]
        if ref in seen:
            raise SchemaError(f"circular $ref {ref}")
        file_part, _, pointer = ref.partition("#")
        target: Any = json.loads((root / file_part).read_text(encoding="utf-8"))
        for part in [p for p in pointer.split("/") if p]:
            target = target[part]
        merged = {**_resolve(target, root, seen + (ref,)), **{k: v for k, v in node.items() if k != "$ref"}}
        return merged
    return {key: _resolve(value, root, seen) for key, value in node.items()}


@lru_cache(maxsize=8)
def load_event_schemas(schemas_dir: Path = SCHEMAS_DIR) -> dict[tuple[str, int], EventSchema]:
    """Every `<event_type>/v<N>.json`, dereferenced, keyed by (type, version)."""
    schemas: dict[tuple[str, int], EventSchema] = {}
    for type_dir in sorted(p for p in schemas_dir.iterdir() if p.is_dir()):
        for file in sorted(type_dir.iterdir()):
            match = _VERSION_FILE.match(file.name)
            if not match:
                raise SchemaError(f"{file}: schema files are named v<N>.json")
            raw = json.loads(file.read_text(encoding="utf-8"))
            resolved = _resolve(raw, schemas_dir, ())
            schemas[(type_dir.name, int(match.group(1)))] = EventSchema(
                type_dir.name, int(match.group(1)), resolved, file
            )
    if not schemas:
        raise SchemaError(f"no event schemas under {schemas_dir}")
    return schemas


@lru_cache(maxsize=8)
def envelope_schema(schemas_dir: Path = SCHEMAS_DIR) -> dict[str, Any]:
    """The envelope (`_envelope.json`), dereferenced: its fields, which are
    required, and each field's rule."""
    return _resolve(json.loads((schemas_dir / "_envelope.json").read_text(encoding="utf-8")), schemas_dir, ())


@lru_cache(maxsize=8)
def shared_definitions(schemas_dir: Path = SCHEMAS_DIR) -> dict[str, Any]:
    """The `$defs` of `_defs.json` (identifier, person_ref, text, ...)."""
    return json.loads((schemas_dir / "_defs.json").read_text(encoding="utf-8"))["$defs"]


def payload_rule(event_type: str, field: str) -> dict[str, Any]:
    """One payload field's rule at its event type's latest version."""
    return latest_versions(load_event_schemas())[event_type].schema["properties"][field]


def latest_versions(schemas: dict[tuple[str, int], EventSchema]) -> dict[str, EventSchema]:
    """Each event type's highest version: what staging presents after upcasting."""
    latest: dict[str, EventSchema] = {}
    for (event_type, _version), schema in sorted(schemas.items()):
        latest[event_type] = schema
    return latest


def read_schema_file(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def schemas_as_written(schemas_dir: Path = SCHEMAS_DIR) -> dict[tuple[str, int], dict]:
    """Every `<event_type>/v<N>.json`, as written (its $refs kept)."""
    return {(path.parent.name, int(path.stem[1:])): read_schema_file(path)
            for path in sorted(schemas_dir.glob("*/v*.json"))}


@dataclass(frozen=True)
class PayloadColumn:
    """A scalar field of a payload as the staging column that holds it."""

    column: str
    path: tuple[str, ...]  # its JSON path in the payload
    rule: dict[str, Any]  # its schema, dereferenced
    required: bool  # required, and so are the objects around it


def payload_columns(schema: dict[str, Any], prefix: tuple[str, ...] = (),
                    required: bool = True) -> list[PayloadColumn]:
    """The scalar fields of a payload schema, in its order. An object's fields
    flatten to <object>_<field> (initiative.org_id -> initiative_org_id)
    unless the field already carries the object's name (initiative.initiative_id
    -> initiative_id); arrays are left to the models that unnest them."""
    columns = []
    needed = set(schema.get("required", []))
    for name, rule in schema.get("properties", {}).items():
        path = (*prefix, name)
        if rule.get("type") == "object":
            columns += payload_columns(rule, path, required and name in needed)
        elif rule.get("type") != "array":
            column = name if prefix and name.startswith(f"{prefix[-1]}_") else "_".join(path)
            columns.append(PayloadColumn(column, path, rule, required and name in needed))
    return columns


# Staging models written by hand, and the event types each holds: the coalition events become one change
# log (a formation names many members). Retractions are applied by stg_events__effective. Every other
# event type has a typed model generated from its schema (`coopmetrics generate-dbt`).
HAND_WRITTEN_STAGING = {"stg_events__coalition_changes": ("coalition.formed", "coalition.joined", "coalition.left",
                                                          "coalition.dissolved")}
APPLIED_BY_EFFECTIVE = ("event.retracted",)


def staging_model_name(event_type: str) -> str:
    return "stg_events__" + event_type.replace(".", "_")


def typed_staging_models(schemas_dir: Path = SCHEMAS_DIR) -> dict[str, tuple[str, ...]]:
    """Typed staging model -> the event types it holds."""
    by_hand = {t for types in HAND_WRITTEN_STAGING.values() for t in types} | set(APPLIED_BY_EFFECTIVE)
    generated = {staging_model_name(t): (t,) for t in latest_versions(load_event_schemas(schemas_dir))
                 if t not in by_hand}
    return {**generated, **HAND_WRITTEN_STAGING}
