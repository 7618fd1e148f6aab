"""One compiled validator (jsonschema-rs, Draft 2020-12) per event type and
version: the envelope (_envelope.json) with that payload schema, both as
written, `$ref`s into `_defs.json` resolved by jsonschema-rs's registry.
Formats are assertions (`format: date` refuses 2025-02-30), not the
annotations Draft 2020-12 makes them by default."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from orchestration.core.schemas import read_schema_file, schemas_as_written
from orchestration.core.settings import SCHEMAS_DIR


@dataclass(frozen=True)
class Validators:
    envelope: object  # jsonschema_rs validator of the envelope alone
    envelope_schema: dict
    by_type: dict[tuple[str, int], object]  # (event_type, version) -> envelope with that payload schema
    identifier_pattern: str


@lru_cache(maxsize=4)
def load_validators(schemas_dir: Path = SCHEMAS_DIR) -> Validators:
    import jsonschema_rs

    registry = jsonschema_rs.Registry([("_defs.json", read_schema_file(schemas_dir / "_defs.json"))])
    envelope = read_schema_file(schemas_dir / "_envelope.json")
    dialect = envelope["$schema"]
    inner = {k: v for k, v in envelope.items() if k != "$schema"}
    by_type = {}
    for key, payload in schemas_as_written(schemas_dir).items():
        combined = {"$schema": dialect, "allOf": [
            inner, {"properties": {"payload": {k: v for k, v in payload.items() if k != "$schema"}}}]}
        by_type[key] = jsonschema_rs.validator_for(combined, registry=registry, validate_formats=True)
    identifier = read_schema_file(schemas_dir / "_defs.json")["$defs"]["identifier"]["pattern"]
    envelope_validator = jsonschema_rs.validator_for(envelope, registry=registry, validate_formats=True)
    return Validators(envelope_validator, envelope, by_type, identifier)
