"""The compiled validator (jsonschema-rs) agrees with the reference
validator (jsonschema, Draft 2020-12) on a generated corpus of valid and
invalid payloads that hits every rule of every schema, record by record and
reason by reason; and it takes any schema as written."""

from __future__ import annotations

import copy
import json
import random
import shutil
from typing import Any

import pyarrow as pa
import pytest
from jsonschema import Draft202012Validator

from orchestration.core.schemas import load_event_schemas
from orchestration.core.settings import SCHEMAS_DIR
from orchestration.ingest.validation import PARALLEL_ROWS_ENV, WORKERS_ENV, validate_records
from tests.ingest_helpers import Harness, envelope

SCHEMAS = load_event_schemas()


def example(schema: dict[str, Any], rng: random.Random) -> Any:
    """A valid instance, varied by the seed."""
    kind = schema.get("type")
    if "enum" in schema:
        return rng.choice(schema["enum"])
    if kind == "object":
        out = {}
        for name, child in schema.get("properties", {}).items():
            if name in schema.get("required", []) or rng.random() < 0.6:
                out[name] = example(child, rng)
        return out
    if kind == "array":
        return [f"org-{i}" for i in range(schema.get("minItems", 0) + rng.randint(0, 2))]
    if kind == "string":
        if schema.get("format") == "date":
            return rng.choice(["2025-01-31", "2024-02-29", "1999-12-31"])
        if schema.get("pattern", "").startswith("^[A-Za-z0-9"):
            return rng.choice(["id-1", "Org.2", "a:b_c-9", "x" * 128])
        return rng.choice(["plain text", "Café Ünïcode ok", "y" * 300])
    if kind == "integer":
        return rng.randint(schema.get("minimum", 0), schema.get("maximum", 100))
    if kind == "number":
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
        return rng.choice([low + 0.5, low + 1, 12345.678, float(low + 2)])
    raise AssertionError(schema)


def paths(schema: dict[str, Any], prefix: tuple = ()) -> list[tuple[tuple, dict]]:
    out = [(prefix, schema)]
    for name, child in schema.get("properties", {}).items():
        out.extend(paths(child, prefix + (name,)))
    return out


BAD_VALUES = [None, 0, -1, 2.5, 9, 1e30, True, "", "bad id!", "x" * 600, "with @ sign", "zzz", [], ["a", "a"],
              [1, 2], {}, {"unexpected": 1}, "1.5", 5.0, 1.0]


def mutate(instance: Any, path: tuple, rng: random.Random, choice: int | None = None) -> Any:
    """Break the value at `path`: drop it, or put BAD_VALUES[choice] (random
    when None) there; the last choice adds an unexpected key to an object."""
    instance = copy.deepcopy(instance)
    choice = rng.randrange(len(BAD_VALUES) + 2) if choice is None else choice
    if not path:
        extra = instance | {"unexpected": 1} if isinstance(instance, dict) else {"unexpected": 1}
        return rng.choice([[], "string", 42, extra])
    parent = instance
    for step in path[:-1]:
        if not isinstance(parent, dict) or step not in parent:
            return instance
        parent = parent[step]
    if not isinstance(parent, dict):
        return instance
    if choice == len(BAD_VALUES):
        parent.pop(path[-1], None)
    elif choice == len(BAD_VALUES) + 1 and isinstance(parent.get(path[-1]), dict):
        parent[path[-1]]["unexpected"] = 1
    else:
        parent[path[-1]] = BAD_VALUES[choice % len(BAD_VALUES)]
    return instance


def corpus(per_schema: int = 420, seed: int = 11) -> list[tuple[str, int, Any]]:
    rng = random.Random(seed)
    items = []
    for (event_type, version), event_schema in sorted(SCHEMAS.items()):
        schema = event_schema.schema
        all_paths = paths(schema)
        systematic = len(all_paths) * (len(BAD_VALUES) + 2)
        for index in range(max(per_schema, systematic + 120)):
            payload = example(schema, rng)
            if index < systematic:  # every path with every bad value
                payload = mutate(payload, all_paths[index % len(all_paths)][0], rng,
                                 choice=(index // len(all_paths)) % (len(BAD_VALUES) + 2))
            elif index % 4:  # then random breakage, one to three times
                for _ in range(rng.randint(1, 3)):
                    payload = mutate(payload, rng.choice(all_paths)[0], rng)
            items.append((event_type, version, payload))
    return items


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory):
    items = corpus()
    harness = Harness(tmp_path_factory.mktemp("corpus"))
    harness.write("alpha/corpus.ndjson", "".join(
        json.dumps(envelope(f"c{i}", event_type=t, version=v) | {"payload": p}) + "\n"
        for i, (t, v, p) in enumerate(items)))
    patch = pytest.MonkeyPatch()
    # a batch this size goes to the worker processes: the parallel path is the one compared
    patch.setenv(PARALLEL_ROWS_ENV, "1000")
    patch.setenv(WORKERS_ENV, "2")
    harness.ingest()
    patch.undo()
    return items, dict(harness.query("SELECT source_line, reason FROM raw.quarantine"))


def expected_reason(event_type: str, version: int, payload: Any) -> str | None:
    schema = SCHEMAS[(event_type, version)].schema
    if not Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).is_valid(payload):
        return "invalid_payload"
    # valid retractions of events that were never delivered
    return "retraction_invalid" if event_type == "event.retracted" else None


def test_corpus_is_large_and_hits_every_outcome(verdicts):
    items, reasons = verdicts
    assert len(items) >= 6000
    rejected = [r for r in reasons.values() if r == "invalid_payload"]
    assert 0.3 * len(items) < len(rejected) < 0.9 * len(items)


def test_the_validator_agrees_with_jsonschema_record_by_record_and_reason_by_reason(verdicts):
    items, reasons = verdicts
    disagreements = []
    for line, (event_type, version, payload) in enumerate(items, start=1):
        if expected_reason(event_type, version, payload) != reasons.get(line):
            disagreements.append((event_type, version, payload, reasons.get(line)))
    assert disagreements == []


def test_every_rule_of_every_schema_is_broken_by_the_corpus(verdicts):
    items, _ = verdicts
    broken: set[tuple] = set()
    for event_type, version, payload in items:
        for error in Draft202012Validator(SCHEMAS[(event_type, version)].schema).iter_errors(payload):
            broken.add((event_type, version, tuple(error.absolute_schema_path)))
    for (event_type, version), event_schema in SCHEMAS.items():
        for path, node in paths(event_schema.schema):
            for keyword in set(node) & {"type", "enum", "pattern", "minLength", "maxLength", "minimum", "maximum",
                                        "exclusiveMinimum", "required", "additionalProperties", "minItems",
                                        "uniqueItems"}:
                schema_path = sum((("properties", p) for p in path), ()) + (keyword,)
                hits = [b for b in broken if b[:2] == (event_type, version) and b[2][:len(schema_path)] == schema_path]
                assert hits, f"no payload breaks {event_type} v{version} {'/'.join(schema_path)}"


SHAPED = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "test.shaped v1",
    "type": "object",
    "required": ["kind", "tags"],
    "additionalProperties": False,
    "properties": {
        "kind": {"const": "shape"},
        "tags": {"type": "array", "minItems": 2, "items": {"$ref": "_defs.json#/$defs/identifier"}},
        "size": {"oneOf": [{"type": "integer", "minimum": 1}, {"enum": ["small", "large"]}]},
        "unit": {"type": "string"},
    },
    "if": {"required": ["size"], "properties": {"size": {"type": "integer"}}},
    "then": {"required": ["unit"]},
}


def test_a_schema_with_keywords_the_old_compiler_never_knew_needs_no_code(tmp_path, monkeypatch):
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS_DIR, schemas)
    (schemas / "test.shaped").mkdir()
    (schemas / "test.shaped" / "v1.json").write_text(json.dumps(SHAPED))
    records = [
        {"kind": "shape", "tags": ["a", "b"]},                          # valid
        {"kind": "shape", "tags": ["a", "b"], "size": "small"},         # valid: the enum branch of oneOf
        {"kind": "shape", "tags": ["a", "b"], "size": 3, "unit": "m"},  # valid: if size is a number, a unit
        {"kind": "circle", "tags": ["a", "b"]},                         # const
        {"kind": "shape", "tags": ["a"]},                               # minItems
        {"kind": "shape", "tags": ["a", "b"], "size": "medium"},        # oneOf: no branch
        {"kind": "shape", "tags": ["a", "b"], "size": 3},               # if/then: the unit is missing
        {"kind": "shape", "tags": ["a", "not an id"]},                  # a $ref into _defs.json
    ]
    lines = [json.dumps(envelope(f"s{n}", event_type="test.shaped") | {"payload": p}) for n, p in enumerate(records)]
    for workers, parallel_rows in (("1", "1000"), ("2", "3")):  # in this process, and over two workers
        monkeypatch.setenv(WORKERS_ENV, workers)
        monkeypatch.setenv(PARALLEL_ROWS_ENV, parallel_rows)
        failures = validate_records(pa.array(range(len(lines)), pa.int64()), pa.array(lines), schemas).to_pylist()
        assert [(f["batch_row"], f["reason"], f["stage"]) for f in failures] == [
            (row, "invalid_payload", 3) for row in (3, 4, 5, 6, 7)]
        messages = [f["message"] for f in failures]
        # keywords without words of our own are named in the validator's
        assert messages[0] == 'payload.kind: "shape" was expected'
        assert messages[1] == "payload.tags: fewer than 2 items"
        assert messages[2] == ("payload.size: \"medium\" is not valid under any of the schemas listed in the "
                               "'oneOf' keyword")
        assert messages[3] == "payload.unit: required field missing"
        assert messages[4] == "payload.tags[]: does not match ^[A-Za-z0-9._:-]{1,128}$"


def test_a_batch_in_chunks_is_validated_across_its_chunk_and_part_bounds(monkeypatch):
    """Ingest hands the validator its Arrow columns in chunks (record batches of the landing
    lines); each worker's part is cut out of them without copying the batch whole. The parts
    (6 rows: 0-5, 6-11, 12-17, 18-21) straddle the chunk bounds (5, 6, 13; 9 for the row numbers)."""
    lines = ["{not json" if n % 4 == 0 else json.dumps(envelope(f"k{n}")) for n in range(22)]
    values = pa.chunked_array([pa.array(lines[start:end]) for start, end in ((0, 5), (5, 6), (6, 13), (13, 22))])
    rows = pa.chunked_array([pa.array(range(0, 9), pa.int64()), pa.array(range(9, 22), pa.int64())])
    for workers, parallel_rows in (("1", "1000"), ("2", "3")):  # in this process, and over two workers
        monkeypatch.setenv(WORKERS_ENV, workers)
        monkeypatch.setenv(PARALLEL_ROWS_ENV, parallel_rows)
        failures = validate_records(rows, values).to_pylist()
        assert [(f["batch_row"], f["reason"]) for f in failures] == [
            (row, "malformed_record") for row in (0, 4, 8, 12, 16, 20)]
