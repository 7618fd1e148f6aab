"""The SQL compiled from the JSON Schemas agrees with the reference
validator (jsonschema, Draft 2020-12) on a generated corpus of valid and
invalid payloads that hits every rule of every schema."""

from __future__ import annotations

import copy
import json
import random
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from orchestration.ingest.payload_rules import compile_payload_rules
from orchestration.ingest.schemas import SchemaError, load_event_schemas
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


def corpus(per_schema: int = 400, seed: int = 11) -> list[tuple[str, int, Any]]:
    rng = random.Random(seed)
    items = []
    for (event_type, version), event_schema in sorted(SCHEMAS.items()):
        schema = event_schema.schema
        all_paths = paths(schema)
        for index in range(per_schema):
            payload = example(schema, rng)
            systematic = len(all_paths) * (len(BAD_VALUES) + 2)
            if index < systematic and index % 7:  # every path with every bad value (most of them)
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
    harness.ingest()
    # valid retractions of unknown events are quarantined later, as retraction_invalid
    rejected = dict(harness.query("SELECT source_line, reason FROM raw.quarantine WHERE reason = 'invalid_payload'"))
    return items, rejected


def test_corpus_is_large_and_hits_every_outcome(verdicts):
    items, rejected = verdicts
    assert len(items) >= 3000
    assert 0.3 * len(items) < len(rejected) < 0.9 * len(items)


def test_sql_validation_agrees_with_jsonschema(verdicts):
    items, rejected = verdicts
    disagreements = []
    for line, (event_type, version, payload) in enumerate(items, start=1):
        valid = Draft202012Validator(SCHEMAS[(event_type, version)].schema).is_valid(payload)
        if valid == (line in rejected):
            disagreements.append((event_type, version, payload, rejected.get(line)))
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


def test_unsupported_keywords_are_refused():
    schema = copy.deepcopy(SCHEMAS[("member.left", 1)])
    schema.schema["properties"]["person_ref"]["format"] = "email"
    with pytest.raises(SchemaError, match="unsupported JSON Schema keyword"):
        compile_payload_rules({("member.left", 1): schema})
