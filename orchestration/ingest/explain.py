"""Why a record failed the validator: the reason code of docs/events.md section 4,
where it stands among the SQL rules (its stage, see validation.py) and the
first broken rule in words, worked out from the validator's errors (their
path and keyword) for the failing records only."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import orjson

from expectations.landing import character_rule
from orchestration.ingest.members import members_unique, repeated_member

if TYPE_CHECKING:
    from orchestration.ingest.validators import Validators

_TYPE_WORDS = {"string": "a string", "number": "a number", "integer": "an integer", "object": "an object",
               "array": "an array", "boolean": "true or false", "null": "null"}
# a keyword's words, filled from the error's own data (its limit, its pattern)
_WORDS = {"pattern": "does not match {pattern}", "minLength": "shorter than {limit} characters",
          "maxLength": "longer than {limit} characters", "minimum": "must be >= {limit}",
          "maximum": "must be <= {limit}", "exclusiveMinimum": "must be > {limit}",
          "exclusiveMaximum": "must be < {limit}", "minItems": "fewer than {limit} items",
          "maxItems": "more than {limit} items", "uniqueItems": "items must be unique"}
# the order in which a payload's rules are named: its object's own rules before its fields'
_KEYWORD_ORDER = {"type": 0, "required": 1, "additionalProperties": 2, "enum": 3, "const": 3, "pattern": 4,
                  "minLength": 5, "maxLength": 6, "minimum": 7, "maximum": 7, "exclusiveMinimum": 7,
                  "exclusiveMaximum": 7, "minItems": 8, "maxItems": 8, "uniqueItems": 9}


def _text(value: Any) -> str:
    """A value as the messages show it: strings bare, anything else as JSON."""
    return value if isinstance(value, str) else orjson.dumps(value).decode()


def _label(path: list) -> str:
    return "".join(f".{p}" if isinstance(p, str) else "[]" for p in path).lstrip(".")


def _rule(error: Any) -> str:
    """One payload error in words, named by its path."""
    kind, data = error.kind.name, error.kind.as_dict()
    label = _label(list(error.instance_path))
    if kind == "required":
        return f"{label}.{data['property']}: required field missing"
    if kind == "type":
        return f"{label}: must be {' or '.join(_TYPE_WORDS.get(str(t), str(t)) for t in data['types'])}"
    if kind == "enum":
        return f"{label}: must be one of {', '.join(_text(v) for v in data['options'])}"
    if kind == "additionalProperties":
        return f"{label}: unexpected field(s) {', '.join(data['unexpected'])}"
    if kind in _WORDS:
        return f"{label}: {_WORDS[kind].format(**data)}"
    return f"{label}: {error.message}"  # any other keyword, in the validator's words


def _first_payload_rule(errors: list) -> str:
    payload = [e for e in errors if list(e.instance_path)[:1] == ["payload"]]
    # the rules of an object (type, required, additionalProperties: at the object's own path) come before
    # those of its fields, and a field's rules in the order a reader checks them
    first = min(payload, key=lambda e: (len(e.instance_path), _KEYWORD_ORDER.get(e.kind.name, 10)))
    return _rule(first)


def _identifier_words(pattern: str) -> str:
    try:
        character, low, high = character_rule(pattern)
    except ValueError:
        return f"does not match {pattern}"
    return f"is not {low}-{high} characters of {character.strip('^$')}"


def _envelope_fault(record: dict, validators: Validators) -> tuple[str, int, str] | None:
    """The first envelope rule the record breaks, in the order of docs/events.md."""
    envelope = validators.envelope_schema
    allowed = set(envelope["properties"])
    unexpected = [k for k in record if k not in allowed]
    if unexpected:
        return "malformed_record", 1, f"unexpected envelope field(s): {', '.join(unexpected)}"
    missing = [f for f in envelope["required"] if record.get(f) is None]
    if missing:
        return "missing_field", 1, f"missing field(s): {', '.join(missing)}"
    broken = {list(e.instance_path)[0] for e in validators.envelope.iter_errors(record) if list(e.instance_path)}
    event_id, event_type, version = record["event_id"], record["event_type"], record["schema_version"]
    if "event_id" in broken:
        if not isinstance(event_id, str):
            return "invalid_id", 1, "event_id must be a string"
        return "invalid_id", 1, f"event_id {json.dumps(event_id)} {_identifier_words(validators.identifier_pattern)}"
    if "org_id" in broken:
        return "invalid_id", 1, "org_id must be a string"
    types = {t for t, _ in validators.by_type}
    if "event_type" in broken or event_type not in types:
        return "unknown_event_type", 2, f"unknown event_type {json.dumps(event_type)}"
    if "schema_version" in broken or (event_type, version) not in validators.by_type:
        return ("unknown_schema_version", 2,
                f"schema_version {_text(version)} is not a registered version of {event_type}")
    if "occurred_at" in broken:
        occurred_at = record["occurred_at"]
        if not isinstance(occurred_at, str):
            return "bad_timestamp", 2, "occurred_at must be a string"
        return "bad_timestamp", 2, f"occurred_at {json.dumps(occurred_at)} {TIMESTAMP_RULE}"
    if "actor_ref" in broken:
        return "malformed_record", 3, "actor_ref must be a string"
    if "payload" in broken:
        return "invalid_payload", 3, "payload must be a JSON object"
    return None


TIMESTAMP_RULE = ("is not an RFC 3339 timestamp with offset (YYYY-MM-DDTHH:MM:SS[.fraction] then Z or +HH:MM/-HH:MM, "
                  "hours below 24, minutes and seconds below 60, a year from 1900)")
MESSAGE_CHARS = 1000  # a message names the rule and the value, never a whole record


def bounded(message: str, limit: int = MESSAGE_CHARS) -> str:
    """A message cut to `limit` characters, saying how much was left out."""
    if len(message) <= limit:
        return message
    return f"{message[:limit]}… ({len(message) - limit} more characters)"


def explain(raw: bytes | str, validators: Validators) -> tuple[str, int, str]:
    """(reason, stage, message) of a record the fast path found invalid."""
    reason, stage, message = _explain(raw, validators)
    return reason, stage, bounded(message)


def _explain(raw: bytes | str, validators: Validators) -> tuple[str, int, str]:
    try:
        record = orjson.loads(raw)
    except orjson.JSONDecodeError:
        if isinstance(raw, bytes):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return "malformed_record", 0, "not valid UTF-8"
        return "malformed_record", 0, "not valid JSON"
    if not isinstance(record, dict):
        return "malformed_record", 1, "not a JSON object"
    if not members_unique(raw, record):
        return "malformed_record", 1, repeated_member(raw)
    fault = _envelope_fault(record, validators)
    if fault is not None:
        return fault
    errors = list(validators.by_type[(record["event_type"], record["schema_version"])].iter_errors(record))
    return "invalid_payload", 3, _first_payload_rule(errors)
