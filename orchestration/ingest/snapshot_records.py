"""The events a snapshot derived, and its rows that could not be read, as the
records table every tabular batch is (tabular.py's columns), so they go
through the same envelope and payload schemas, pseudonymisation and
resolution as any event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from orchestration.core.registry import Feed
from orchestration.ingest.snapshot_read import RegisterRow

_REF = pa.struct([("org_id", pa.string()), ("initiative_id", pa.string())])
# every payload field a derived event may have; a record keeps only those it has (parse_tabular.sql)
PAYLOAD = pa.struct([
    ("person_ref", pa.string()), ("role", pa.string()), ("event_id", pa.string()), ("reason", pa.string()),
    ("initiative_id", pa.string()), ("title", pa.string()), ("sector", pa.string()), ("locality", pa.string()),
    ("parent", _REF), ("outcome", pa.string()),
])


@dataclass
class Derived:
    line: int  # the snapshot row that caused it (the header row for a key that disappeared)
    event_id: str
    event_type: str
    occurred_at: dt.datetime  # UTC, naive
    payload: dict[str, Any]
    original: str  # the row that caused it, as JSON text


def records_table(feed: Feed, path: Path, events: list[Derived], bad_rows: list[RegisterRow]) -> pa.Table:
    spec = feed.snapshot
    assert spec is not None
    n = len(events) + len(bad_rows)
    lines = [e.line for e in events] + [r.line for r in bad_rows]
    return pa.table({
        "source_file": pa.array([str(path)] * n, pa.string()),
        "source_sheet": pa.array([spec.sheet] * n, pa.string()),
        "line_no": pa.array(lines, pa.int64()),
        "batch_row": pa.array(range(n), pa.int64()),
        "original": pa.array([e.original for e in events] + [r.original for r in bad_rows], pa.string()),
        "event_id": pa.array([e.event_id for e in events] + [None] * len(bad_rows), pa.string()),
        "id_prefix": pa.nulls(n, pa.string()),
        "id_key": pa.nulls(n, pa.string()),
        "org_id": pa.array([feed.org_id] * n, pa.string()),
        "event_type": pa.array([e.event_type for e in events] + [None] * len(bad_rows), pa.string()),
        "schema_version": pa.array([1] * n, pa.int64()),
        "occurred_at": pa.array([e.occurred_at.strftime("%Y-%m-%dT%H:%M:%SZ") for e in events]
                                + [None] * len(bad_rows), pa.string()),
        "actor_ref": pa.nulls(n, pa.string()),
        "payload": pa.array([e.payload for e in events] + [None] * len(bad_rows), PAYLOAD),
        "row_reason": pa.array([None] * len(events) + [r.reason for r in bad_rows], pa.string()),
        "row_message": pa.array([None] * len(events) + [r.error for r in bad_rows], pa.string()),
    })
