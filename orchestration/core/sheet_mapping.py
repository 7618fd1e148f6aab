"""A tabular feed's sheet mappings (the registry's `sheets:`, docs/events.md):
how the cells of a row become an event. Read strictly and checked against
the JSON Schemas when the registry is read, so a field the schema does not
have, or a conversion that cannot fit it, is refused naming the file and
line before any work."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from orchestration.core.registry_yaml import Lined, RegistryError, known_keys, where
from orchestration.core.schemas import load_event_schemas

CELL_TYPES = ("text", "integer", "decimal", "date", "boolean")
FIELD_KEYS = {"column", "value", "type", "decimal", "thousands", "format", "true", "false"}
SHEET_KEYS = {"sheet", "header_row", "event_type", "schema_version", "event_id", "occurred_at", "actor_ref",
              "payload"}
DEFAULT_TRUE = ("true", "yes", "1", "vero", "sì", "si", "x")
DEFAULT_FALSE = ("false", "no", "0", "falso", "")
# the JSON Schema types each conversion may feed
_FITS = {"text": {"string"}, "integer": {"integer", "number"}, "decimal": {"number"},
         "date": {"string"}, "boolean": {"boolean"}}


@dataclass(frozen=True)
class CellField:
    """One value of the event: a cell's column with its conversion, or a constant."""

    column: str | None = None
    value: Any = None
    type: str = "text"
    decimal: str = "."
    thousands: str = ""
    format: str | None = None  # a date's (or occurred_at's) strftime format, for text cells
    true: tuple[str, ...] = DEFAULT_TRUE
    false: tuple[str, ...] = DEFAULT_FALSE


# a payload: field name -> a CellField, or a mapping of sub-fields (a reference {org_id, initiative_id})
Payload = dict[str, "CellField | Payload"]


@dataclass(frozen=True)
class SheetMapping:
    sheet: str | None  # None for a CSV file
    header_row: int
    event_types: dict[str, str]  # label (lower case) -> event type; {"": type} for a constant
    event_type_column: str | None
    schema_version: int
    event_id: CellField | None  # a column, or None with id_from
    id_from: tuple[str, ...]
    occurred_at: CellField
    actor_ref: CellField | None
    payload: Payload = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        """Every column the mapping reads, in a stable order."""
        names: list[str] = []

        def add(spec: CellField | Payload | None) -> None:
            if isinstance(spec, CellField):
                if spec.column and spec.column not in names:
                    names.append(spec.column)
            elif isinstance(spec, dict):
                for sub in spec.values():
                    add(sub)
        if self.event_type_column:
            names.append(self.event_type_column)
        for spec in (self.event_id, self.occurred_at, self.actor_ref, self.payload):
            add(spec)
        names.extend(c for c in self.id_from if c not in names)
        return names


def cell_field(raw: Any, place: str, default_type: str = "text") -> CellField:
    if not isinstance(raw, dict) or ("column" in raw) == ("value" in raw):
        raise RegistryError(f"{where(raw, None, place)}: {place} must be {{column: NAME}} or {{value: CONSTANT}}")
    known_keys(raw, FIELD_KEYS, place)
    kind = raw.get("type", default_type)
    if kind not in CELL_TYPES:
        raise RegistryError(f"{where(raw, 'type', place)}: {place}: type must be one of {', '.join(CELL_TYPES)}, "
                            f"got {kind!r}")
    decimal, thousands = str(raw.get("decimal", ".")), str(raw.get("thousands", ""))
    if len(decimal) != 1 or len(thousands) > 1 or decimal == thousands or decimal.isdigit() or thousands.isdigit():
        raise RegistryError(f"{where(raw, 'decimal', place)}: {place}: decimal must be one character and thousands "
                            "at most one, not a digit, and they must differ")
    words = {key: tuple(str(w).strip().lower() for w in (raw[key] if isinstance(raw[key], list) else [raw[key]]))
             for key in ("true", "false") if key in raw}
    if "column" in raw and (not isinstance(raw["column"], str) or not raw["column"].strip()):
        raise RegistryError(f"{where(raw, 'column', place)}: {place}: column must be a header's text")
    return CellField(column=raw.get("column"), value=raw.get("value"), type=kind, decimal=decimal,
                     thousands=thousands, format=raw.get("format"), true=words.get("true", DEFAULT_TRUE),
                     false=words.get("false", DEFAULT_FALSE))


def _payload(raw: Any, place: str) -> Payload:
    if not isinstance(raw, dict) or not raw:
        raise RegistryError(f"{where(raw, None, place)}: {place} must map payload fields")
    out: Payload = {}
    for name, spec in raw.items():
        sub_place = f"{place}.{name}"
        if isinstance(spec, dict) and ("column" in spec or "value" in spec):
            out[str(name)] = cell_field(spec, sub_place)
        else:
            out[str(name)] = _payload(spec, sub_place)
    return out


def _check_fits(payload: Payload, rule: dict, event_type: str, place: str, node: Any) -> None:
    """Every mapped field is one the schema has, with a conversion its type takes; every required one is mapped."""
    properties = rule.get("properties", {})
    for name, spec in payload.items():
        at = where(node, name, place) if isinstance(node, Lined) else place
        if name not in properties:
            raise RegistryError(f"{at}: {place}.{name}: {event_type} has no payload field {name!r}; "
                                f"its fields: {', '.join(sorted(properties))}")
        target = properties[name]
        kinds = set(target["type"] if isinstance(target.get("type"), list) else [target.get("type")])
        if isinstance(spec, dict):
            if "object" not in kinds:
                raise RegistryError(f"{at}: {place}.{name}: {event_type}.{name} is a {'/'.join(map(str, kinds))}, "
                                    "not an object of sub-fields")
            _check_fits(spec, target, event_type, f"{place}.{name}", node.get(name) if node else None)
        elif spec.column is not None and not kinds & _FITS[spec.type]:
            raise RegistryError(f"{at}: {place}.{name}: a {spec.type} cannot be {event_type}.{name}, "
                                f"which is a {'/'.join(map(str, kinds))}")
        elif spec.column is not None and spec.type == "text" and target.get("format") == "date":
            raise RegistryError(f"{at}: {place}.{name}: {event_type}.{name} is a date: give it type: date")
        elif spec.column is None and "enum" in target and spec.value not in target["enum"]:
            raise RegistryError(f"{at}: {place}.{name}: {spec.value!r} is not one of "
                                f"{', '.join(map(str, target['enum']))}")
    missing = [name for name in rule.get("required", []) if name not in payload]
    if missing:
        raise RegistryError(f"{where(node, None, place)}: {place}: {event_type} needs payload field(s) "
                            f"{', '.join(missing)}, not mapped")


def sheet_mapping(raw: Any, place: str, tabular_csv: bool) -> SheetMapping:
    if not isinstance(raw, dict):
        raise RegistryError(f"{place}: a sheet mapping must be a mapping")
    known_keys(raw, SHEET_KEYS, place)
    sheet = raw.get("sheet")
    if tabular_csv == (sheet is not None):
        need = "names no sheet (a CSV file has none)" if tabular_csv else "names its sheet"
        raise RegistryError(f"{where(raw, 'sheet', place)}: {place}: the mapping of a "
                            f"{'csv' if tabular_csv else 'workbook'} feed {need}")
    header_row = raw.get("header_row", 1)
    if isinstance(header_row, bool) or not isinstance(header_row, int) or not 1 <= header_row <= 1000:
        raise RegistryError(f"{where(raw, 'header_row', place)}: {place}: header_row must be a row from 1 to 1000")
    schemas = load_event_schemas()
    event_type = raw.get("event_type")
    if isinstance(event_type, str):
        labels, type_column = {"": event_type}, None
    elif isinstance(event_type, dict) and set(event_type) == {"column", "labels"} and event_type["labels"]:
        labels = {str(k).strip().lower(): str(v) for k, v in event_type["labels"].items()}
        type_column = str(event_type["column"])
    else:
        raise RegistryError(f"{where(raw, 'event_type', place)}: {place}: event_type must be a type, or "
                            "{column: NAME, labels: {label: type}}")
    version = raw.get("schema_version", 1)
    for target in set(labels.values()):
        if (target, version) not in schemas:
            raise RegistryError(f"{where(raw, 'schema_version' if 'schema_version' in raw else 'event_type', place)}: "
                                f"{place}: {target} v{version} is not a "
                                "registered event type and version")
    ident = raw.get("event_id")
    if isinstance(ident, dict) and set(ident) == {"from"} and isinstance(ident["from"], list) and ident["from"]:
        event_id, id_from = None, tuple(str(c) for c in ident["from"])
    elif isinstance(ident, dict) and set(ident) == {"column"}:
        event_id, id_from = cell_field(ident, f"{place}.event_id"), ()
    else:
        raise RegistryError(f"{where(raw, 'event_id', place)}: {place}: event_id must be {{column: NAME}} "
                            "or {from: [key columns]}")
    if "occurred_at" not in raw or "column" not in (raw["occurred_at"] or {}):
        raise RegistryError(f"{where(raw, 'occurred_at', place)}: {place}: occurred_at must name its column")
    occurred_at = cell_field(raw["occurred_at"], f"{place}.occurred_at")
    actor = cell_field(raw["actor_ref"], f"{place}.actor_ref") if "actor_ref" in raw else None
    payload = _payload(raw.get("payload"), f"{place}.payload")
    targets = sorted(set(labels.values()))
    for target in targets:
        rule = schemas[(target, version)].schema
        # rows of one type leave the other types' columns empty: each type is checked on the fields it has
        own = payload if len(targets) == 1 else {k: v for k, v in payload.items() if k in rule["properties"]}
        _check_fits(own, rule, target, f"{place}.payload", raw.get("payload"))
    for name in payload:
        if not any(name in schemas[(t, version)].schema["properties"] for t in targets):
            raise RegistryError(f"{where(raw.get('payload'), name, place)}: {place}.payload.{name}: none of "
                                f"{', '.join(targets)} has a payload field {name!r}")
    return SheetMapping(sheet=None if sheet is None else str(sheet), header_row=header_row, event_types=labels,
                        event_type_column=type_column, schema_version=version, event_id=event_id,
                        id_from=id_from, occurred_at=occurred_at, actor_ref=actor, payload=payload)
