"""Compile the payload JSON Schemas into one vectorised SQL expression.

The expression evaluates to NULL for a valid payload and to the message of
the first rule it breaks otherwise, so DuckDB validates a whole file in one
pass instead of a Python loop per event. Each (type, version) is a branch
with its own path lists, chosen by the integer `payload_branch`: a record's
paths are extracted in multi-path calls (`payload_types`, `payload_values`,
`payload_keys`, 1-based lists), so a record is parsed three times, not once
per rule, and only for the few paths its own schema names (the union of all
schemas has 38). Only the JSON Schema keywords below are supported; any
other keyword is refused at compile time, so the SQL can never silently
accept what the schema forbids. Every value (enums, patterns,
bounds, messages) is a bound parameter; JSON paths are built only from
property names checked against `_NAME`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from orchestration.ingest.schemas import EventSchema, SchemaError

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DOC_KEYWORDS = {"$schema", "$id", "title", "description", "$defs", "examples", "$comment"}
_SUPPORTED = _DOC_KEYWORDS | {
    "type", "required", "additionalProperties", "properties", "enum", "pattern",
    "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "items", "minItems", "maxItems", "uniqueItems",
}
_NUMERIC_TYPES = ("BIGINT", "UBIGINT", "HUGEINT", "DOUBLE")
_BOUNDS = {"minimum": "<", "maximum": ">", "exclusiveMinimum": "<=", "exclusiveMaximum": ">="}
_BOUND_WORDS = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}


@dataclass(eq=False)  # hashed by identity: the compiled SQL is cached per instance
class CompiledRules:
    """SQL over the columns `payload_branch` (the 1-based position of
    'type/version' in the bound list `$payload_branches`), `rec` (the
    record's JSON text) and `payload`, plus the parameters it binds:
    `payload_types`, `payload_values` and `payload_keys` extract the lists
    the branch of the record's (type, version) reads; `sql` is the violation
    expression over those lists."""

    sql: str
    payload_types: str
    payload_values: str
    payload_keys: str
    params: dict[str, Any] = field(default_factory=dict)


class _Compiler:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.params: dict[str, Any] = {}
        self.value_paths: list[str] = []
        self.object_paths: list[str] = []

    def new_branch(self) -> None:
        self.value_paths, self.object_paths = [], []

    @staticmethod
    def _index(paths: list[str], path: str) -> int:
        if path not in paths:
            paths.append(path)
        return paths.index(path) + 1

    def param(self, value: Any) -> str:
        name = f"{self.prefix}{len(self.params)}"
        self.params[name] = value
        return f"${name}"

    def _type_of(self, doc: str, path: str) -> str:
        if doc == "payload":
            return f"payload_types[{self._index(self.value_paths, path)}]"
        return f"json_type({doc}, '{path}')"

    def rules(self, schema: dict, doc: str, path: str, label: str) -> list[tuple[str, str]]:
        """(violation condition, message SQL) pairs, in evaluation order."""
        unknown = set(schema) - _SUPPORTED
        if unknown:
            raise SchemaError(f"{label}: unsupported JSON Schema keyword(s) {sorted(unknown)}")
        if doc == "payload":
            index = self._index(self.value_paths, path)
            jtype, text = f"payload_types[{index}]", f"payload_values[{index}]"
        else:
            jtype, text = f"json_type({doc}, '{path}')", f"json_extract_string({doc}, '{path}')"
        out: list[tuple[str, str]] = []
        kind = schema.get("type")
        if kind == "object":
            out.append((f"{jtype} IS DISTINCT FROM 'OBJECT'", self.param(f"{label}: must be an object")))
        elif kind == "array":
            out.append((f"{jtype} IS DISTINCT FROM 'ARRAY'", self.param(f"{label}: must be an array")))
        elif kind == "string":
            out.append((f"{jtype} IS DISTINCT FROM 'VARCHAR'", self.param(f"{label}: must be a string")))
        elif kind == "number":
            out.append((f"{jtype} NOT IN {_NUMERIC_TYPES}", self.param(f"{label}: must be a number")))
        elif kind == "integer":
            out.append((
                f"NOT ({jtype} IN ('BIGINT', 'UBIGINT', 'HUGEINT') OR ({jtype} = 'DOUBLE'"
                f" AND floor(TRY_CAST({text} AS DOUBLE)) = TRY_CAST({text} AS DOUBLE)))",
                self.param(f"{label}: must be an integer"),
            ))
        elif kind is not None:
            raise SchemaError(f"{label}: unsupported type {kind!r}")
        if "enum" in schema:
            allowed = schema["enum"]
            if not all(isinstance(v, str) for v in allowed):
                raise SchemaError(f"{label}: only string enums are supported")
            out.append((f"NOT list_contains({self.param(allowed)}, {text})",
                        self.param(f"{label}: must be one of {', '.join(allowed)}")))
        if "pattern" in schema:
            out.append((f"NOT regexp_matches({text}, {self.param(schema['pattern'])})",
                        self.param(f"{label}: does not match {schema['pattern']}")))
        if "minLength" in schema:
            out.append((f"length({text}) < {self.param(schema['minLength'])}",
                        self.param(f"{label}: shorter than {schema['minLength']} characters")))
        if "maxLength" in schema:
            out.append((f"length({text}) > {self.param(schema['maxLength'])}",
                        self.param(f"{label}: longer than {schema['maxLength']} characters")))
        for keyword, violated in _BOUNDS.items():
            if keyword in schema:
                bound = self.param(float(schema[keyword]))
                out.append((f"TRY_CAST({text} AS DOUBLE) {violated} {bound}",
                            self.param(f"{label}: must be {_BOUND_WORDS[keyword]} {schema[keyword]}")))
        out.extend(self._object_rules(schema, doc, path, label))
        out.extend(self._array_rules(schema, doc, path, label))
        return out

    def _object_rules(self, schema: dict, doc: str, path: str, label: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        properties = schema.get("properties", {})
        for name in list(properties) + list(schema.get("required", [])):
            if not _NAME.match(name):
                raise SchemaError(f"{label}: property name {name!r} is not a plain identifier")
        for name in schema.get("required", []):
            out.append((f"{self._type_of(doc, f'{path}.{name}')} IS NULL",
                        self.param(f"{label}.{name}: required field missing")))
        if schema.get("additionalProperties") is False:
            allowed = self.param(sorted(properties))
            keys = (f"payload_keys[{self._index(self.object_paths, path)}]" if doc == "payload"
                    else f"json_keys({doc}, '{path}')")
            extra = f"list_filter({keys}, lambda k: NOT list_contains({allowed}, k))"
            # list_has_all decides, the lambda only builds the message of a failing record
            out.append((f"NOT list_has_all({allowed}, {keys})",
                        f"{self.param(f'{label}: unexpected field(s) ')} || array_to_string({extra}, ', ')"))
        elif isinstance(schema.get("additionalProperties"), dict):
            raise SchemaError(f"{label}: additionalProperties must be false or absent")
        for name, child in properties.items():
            child_path = f"{path}.{name}"
            present = f"{self._type_of(doc, child_path)} IS NOT NULL"
            for condition, message in self.rules(child, doc, child_path, f"{label}.{name}"):
                out.append((f"({present} AND ({condition}))", message))
        return out

    def _array_rules(self, schema: dict, doc: str, path: str, label: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        length = f"json_array_length({doc}, '{path}')"
        if "minItems" in schema:
            out.append((f"{length} < {self.param(schema['minItems'])}",
                        self.param(f"{label}: fewer than {schema['minItems']} items")))
        if "maxItems" in schema:
            out.append((f"{length} > {self.param(schema['maxItems'])}",
                        self.param(f"{label}: more than {schema['maxItems']} items")))
        items = f"json_extract({doc}, '{path}[*]')"
        if schema.get("uniqueItems"):
            out.append((f"len(list_distinct({items})) < {length}",
                        self.param(f"{label}: items must be unique")))
        if "items" in schema:
            item_rules = self.rules(schema["items"], "item", "$", f"{label}[]")
            for condition, message in item_rules:
                out.append((f"list_bool_or(list_transform({items}, lambda item: coalesce({condition}, false)))",
                            message))
        return out


def _record_path(payload_path: str) -> str:
    """A path into the payload as a path into the whole record."""
    return "$.payload" + payload_path[1:]


def compile_payload_rules(schemas: dict[tuple[str, int], EventSchema], prefix: str = "rule_") -> CompiledRules:
    """One CASE over (event_type, schema_version): NULL when the payload is
    valid, else the message of the first broken rule; and the CASEs that
    extract each branch's paths."""
    compiler = _Compiler(prefix)
    violations, types, values, keys, branches = [], [], [], [], []
    for (event_type, version), schema in sorted(schemas.items()):
        compiler.new_branch()
        rules = compiler.rules(schema.schema, "payload", "$", "payload")
        inner = " ".join(f"WHEN coalesce({cond}, false) THEN {msg}" for cond, msg in rules)
        branches.append(f"{event_type}/{version}")
        guard = f"payload_branch = {len(branches)}"  # one integer compare, not a string pair a branch
        violations.append(f"WHEN {guard} THEN (CASE {inner} END)")
        value_paths = compiler.param([_record_path(p) for p in compiler.value_paths])
        types.append(f"WHEN {guard} THEN json_type(rec, {value_paths})")
        values.append(f"WHEN {guard} THEN json_extract_string(rec, {value_paths})")
        if compiler.object_paths:
            object_paths = compiler.param([_record_path(p) for p in compiler.object_paths])
            keys.append(f"WHEN {guard} THEN json_keys(rec, {object_paths})")
    return CompiledRules(
        sql=f"(CASE {' '.join(violations)} END)",
        payload_types=f"(CASE {' '.join(types)} END)",
        payload_values=f"(CASE {' '.join(values)} END)",
        payload_keys=f"(CASE {' '.join(keys)} END)" if keys else "NULL::VARCHAR[][]",
        params={**compiler.params, "payload_branches": branches},
    )
