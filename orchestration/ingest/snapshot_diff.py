"""A snapshot compared with the state its feed's earlier snapshots built, and
the events that explain the difference (docs/events.md, snapshot feeds).
Derived ids are `snap:<register>:<key hash>:<event type>:<n>`, n counting
that key's earlier events of the type, so the same snapshot applied again
derives nothing and a rebuilt warehouse derives the same events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pyarrow as pa

from orchestration.core.registry import Feed
from orchestration.core.warehouse import run_sql, sql_text
from orchestration.ingest import SQL_DIR
from orchestration.ingest.ingest_run import IngestRun
from orchestration.ingest.sheet_rows import SheetTrouble
from orchestration.ingest.snapshot_read import RegisterRow, local_midnight, read_register, snapshot_time
from orchestration.ingest.snapshot_records import Derived, records_table

RULES_NOTE = {"members": "", "initiatives": " (the first launch defines an initiative)"}


@dataclass
class _Key:
    """One key's state: its last readable values, whether the latest snapshot had it, its derived ids."""

    values: dict[str, Any] | None
    present: bool
    derived: list[str] = field(default_factory=list)

    def next_id(self, register: str, key_hash: str, event_type: str) -> str:
        n = sum(1 for i in self.derived if i.split(":")[3] == event_type) + 1
        event_id = f"snap:{register}:{key_hash[:24]}:{event_type}:{n}"
        self.derived.append(event_id)
        return event_id

    def last(self, event_type: str) -> str | None:
        ids = [i for i in self.derived if i.split(":")[3] == event_type]
        return max(ids, key=lambda i: int(i.split(":")[4])) if ids else None


class _Diff:
    def __init__(self, feed: Feed, path: Path, at: dt.datetime, state: dict[str, _Key]) -> None:
        self.feed, self.path, self.at, self.state = feed, path, at, state
        spec = feed.snapshot
        assert spec is not None
        self.register = spec.register
        self.events: list[Derived] = []
        self.notes: list[dict[str, Any]] = []

    def when(self, day: str | None) -> dt.datetime:
        return self.at if day is None else local_midnight(dt.date.fromisoformat(day), self.feed.timezone)

    def emit(self, row: RegisterRow | None, key_hash: str, key: _Key, event_type: str, day: str | None,
             payload: dict[str, Any]) -> str:
        event_id = key.next_id(self.register, key_hash, event_type)
        line = row.line if row else (self.feed.snapshot.header_row if self.feed.snapshot else 1)
        original = row.original if row else orjson.dumps({"disappeared_key_hash": key_hash}).decode()
        self.events.append(Derived(line, event_id, event_type, self.when(day), payload, original))
        return event_id

    def note(self, row: RegisterRow | None, key_hash: str, kind: str, text: str,
             derived: list[str] | None = None) -> None:
        self.notes.append({"source_file": str(self.path), "source_line": row.line if row else None,
                           "key_hash": key_hash, "kind": kind, "note": text[:1000], "derived_event_ids": derived or []})

    def member(self, row: RegisterRow, key: _Key, before: dict[str, Any] | None) -> None:
        now, kh = row.values, str(row.key_hash)
        person = {"person_ref": now["person"]}
        if before is None:
            self.emit(row, kh, key, "member.joined", now["joined_on"], person | {"role": now["role"]})
            if now.get("left_on"):
                self.emit(row, kh, key, "member.left", now["left_on"], person)
            return
        if now["joined_on"] != before["joined_on"]:
            earlier = key.last("member.joined")
            if earlier:
                reason = f"joined_on corrected by the snapshot of {self.at:%Y-%m-%d %H:%M} UTC"
                self.emit(row, kh, key, "event.retracted", None, {"event_id": earlier, "reason": reason})
            self.emit(row, kh, key, "member.joined", now["joined_on"], person | {"role": now["role"]})
        elif now["role"] != before["role"]:
            self.emit(row, kh, key, "member.left", None, person)
            self.emit(row, kh, key, "member.joined", None, person | {"role": now["role"]})
        if now.get("left_on") and not before.get("left_on"):
            self.emit(row, kh, key, "member.left", now["left_on"], person)
        ignored = [c for c in ("left_on", "person") if before.get(c) and now.get(c) != before.get(c)]
        if ignored:
            self.note(row, kh, "ignored_change", f"row {row.line}: {', '.join(ignored)} changed, ignored")

    def initiative(self, row: RegisterRow, key: _Key, before: dict[str, Any] | None) -> None:
        now, kh = row.values, str(row.key_hash)
        if before is None:
            payload = {c: now[c] for c in ("initiative_id", "title", "sector", "locality")}
            if now.get("parent_org_id") and now.get("parent_initiative_id"):
                payload["parent"] = {"org_id": now["parent_org_id"], "initiative_id": now["parent_initiative_id"]}
            self.emit(row, kh, key, "initiative.launched", now["launched_on"], payload)
        if now.get("closed_on") and not (before or {}).get("closed_on"):
            self.emit(row, kh, key, "initiative.closed", now["closed_on"],
                      {"initiative_id": now["initiative_id"], "outcome": now.get("outcome")})
        if before is not None:
            changed = sorted(c for c in now if c != "closed_on" and c != "outcome" and now[c] != before.get(c))
            if changed:
                self.note(row, kh, "ignored_change", f"initiative {now['initiative_id']}: {', '.join(changed)} "
                          f"changed, ignored{RULES_NOTE['initiatives']}")

    def apply(self, rows: list[RegisterRow]) -> list[dict[str, Any]]:
        """The snapshot's rows with their outcomes; the events and notes gathered on the way."""
        seen: dict[str, int] = {}
        kept = []
        for row in rows:
            outcome, derived_from = "quarantined", len(self.events)
            if row.error is None and row.key_hash in seen:
                key = ", ".join(self.feed.snapshot.key) if self.feed.snapshot else "key"
                row.error = f"{row.place}: the key ({key}) repeats row {seen[row.key_hash]}"
                row.reason = "repeated_key"
            if row.key_hash:
                seen.setdefault(row.key_hash, row.line)
            if row.error is None:
                kh = str(row.key_hash)
                key = self.state.setdefault(kh, _Key(None, False))
                before = key.values if key.present else None  # a key that disappeared comes back new
                (self.member if self.register == "members" else self.initiative)(row, key, before)
                key.values = row.values
                outcome = "derived" if len(self.events) > derived_from else "unchanged"
            kept.append({"row": row, "outcome": outcome, "derived": [e.event_id for e in self.events[derived_from:]]})
        for kh, key in self.state.items():
            if key.present and kh not in seen and key.values is not None:
                derived = []
                if self.register == "members" and not key.values.get("left_on"):
                    derived.append(self.emit(None, kh, key, "member.left", None, {"person_ref": key.values["person"]}))
                self.note(None, kh, "disappeared", f"a key of the {self.register} register is not in "
                          f"{self.path.name}{RULES_NOTE[self.register]}", derived)
        return kept


def _state(con: duckdb.DuckDBPyConnection, feed: Feed) -> dict[str, _Key]:
    rows = run_sql(con, sql_text("snapshot_state.sql", SQL_DIR), {"feed_id": feed.feed_id})
    return {kh: _Key(orjson.loads(values) if values else None, present, list(ids))
            for kh, values, present, ids in rows}


def snapshot_tables(con: duckdb.DuckDBPyConnection, feed: Feed, path: Path,
                    run: IngestRun) -> Iterator[tuple[pa.Table, int, bool, dict[str, pa.Table] | None]]:
    """The snapshot's records (derived events and quarantined rows) in one batch, with its rows and notes
    for raw.snapshot_rows and raw.snapshot_notes; a stale snapshot is refused whole."""
    spec = feed.snapshot
    assert spec is not None
    at = snapshot_time(feed, path)
    (latest,) = run_sql(con, sql_text("snapshot_latest.sql", SQL_DIR), {"feed_id": feed.feed_id})[0]
    if latest is not None and at < latest:
        raise SheetTrouble(f"a snapshot of {at:%Y-%m-%d %H:%M} UTC, older than the latest applied "
                           f"({latest:%Y-%m-%d %H:%M} UTC): snapshots are applied in time order", "stale_snapshot")
    rows = read_register(con, feed, path)
    diff = _Diff(feed, path, at, _state(con, feed))
    kept = diff.apply(rows)
    records = records_table(feed, path, diff.events, [k["row"] for k in kept if k["outcome"] == "quarantined"])
    lineage = {
        "snapshot_rows_new": pa.table({
            "register": pa.array([spec.register] * len(kept), pa.string()),
            "source_file": pa.array([str(path)] * len(kept), pa.string()),
            "source_line": pa.array([k["row"].line for k in kept], pa.int64()),
            "snapshot_at": pa.array([at] * len(kept), pa.timestamp("us")),
            "key_hash": pa.array([k["row"].key_hash or "" for k in kept], pa.string()),
            "row_hash": pa.array([k["row"].row_hash for k in kept], pa.string()),
            "row_values": pa.array([orjson.dumps(k["row"].values).decode() for k in kept], pa.string()),
            "outcome": pa.array([k["outcome"] for k in kept], pa.string()),
            "derived_event_ids": pa.array([k["derived"] for k in kept], pa.list_(pa.string())),
        }),
        "snapshot_notes_new": pa.Table.from_pylist(diff.notes, schema=pa.schema([
            ("source_file", pa.string()), ("source_line", pa.int64()), ("key_hash", pa.string()),
            ("kind", pa.string()), ("note", pa.string()), ("derived_event_ids", pa.list_(pa.string()))])),
    }
    return iter([(records, rows[-1].line if rows else spec.header_row, True, lineage)])
