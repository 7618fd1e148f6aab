"""A batch of a sheet's rows as event records (docs/events.md, tabular
feeds): the sheet mapping read column by column (cells.py), one Arrow table
that parse_tabular.sql turns into the records every format yields. A cell
that cannot be converted, or a required one left empty, makes its row's
reason and a message naming file, sheet, row and column."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc

from orchestration.core.registry import Feed
from orchestration.core.schemas import load_event_schemas
from orchestration.core.sheet_mapping import CellField, Payload, SheetMapping
from orchestration.ingest.cells import cell_text, convert, local_times

Rows = list[tuple[int, list[Any]]]
_NOT_IN_ID = re.compile(r"[^A-Za-z0-9._-]+")


def id_prefix(mapping_sheet: str | None, feed: Feed) -> str:
    """What an id made from key columns starts with: the sheet's name (the feed's id for a CSV file),
    as the characters an event id may hold."""
    return _NOT_IN_ID.sub("-", mapping_sheet or feed.feed_id).strip("-") or "sheet"


@dataclass
class _Row:
    """The first thing wrong with each row of the batch: reason and message."""

    reasons: list[str | None]
    messages: list[str | None]
    where: list[str]

    def flag(self, errors: list[str | None], column: str, reason: str) -> None:
        for i, error in enumerate(errors):
            if error is not None and self.reasons[i] is None:
                self.reasons[i], self.messages[i] = reason, f"{self.where[i]}, column {column}: {error}"


def _required_leaves(rule: dict, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """The payload paths a record of this schema cannot be without."""
    leaves: set[tuple[str, ...]] = set()
    for name in rule.get("required", []):
        child = rule["properties"][name]
        if child.get("type") == "object":
            leaves |= _required_leaves(child, prefix + (name,))
        else:
            leaves.add(prefix + (name,))
    return leaves


class SheetRecords:
    """One sheet mapping of one feed, applied to batches of rows."""

    def __init__(self, feed: Feed, mapping: SheetMapping, path: Path, header: list[str]) -> None:
        self.feed, self.mapping, self.path = feed, mapping, path
        self.index = {name: header.index(name) for name in mapping.columns}
        self.header = header
        schemas = load_event_schemas()
        self.required = {t: _required_leaves(schemas[(t, mapping.schema_version)].schema)
                         for t in set(mapping.event_types.values())}

    def _cells(self, rows: Rows, column: str) -> list[Any]:
        i = self.index[column]
        return [cells[i] if i < len(cells) else None for _, cells in rows]

    def _field(self, rows: Rows, spec: CellField, row: _Row) -> pa.Array:
        if spec.column is None:
            return pa.array([spec.value] * len(rows))
        converted = convert(self._cells(rows, spec.column), spec)
        row.flag(converted.errors, spec.column, "invalid_payload")
        return converted.values

    def _payload(self, rows: Rows, payload: Payload, row: _Row, types: list[str | None],
                 prefix: tuple[str, ...] = ()) -> pa.StructArray:
        children, names = [], []
        for name, spec in payload.items():
            if isinstance(spec, dict):
                children.append(self._payload(rows, spec, row, types, prefix + (name,)))
            else:
                values = self._field(rows, spec, row)
                needed = [t is not None and prefix + (name,) in self.required.get(t, ()) for t in types]
                empty = pc.and_(pc.is_null(values), pa.array(needed))
                if spec.column is not None and pc.any(empty).as_py():
                    row.flag([f"is empty, and {t} needs {'.'.join(prefix + (name,))}" if e else None
                              for e, t in zip(empty.to_pylist(), types, strict=True)], spec.column,
                             "invalid_payload")
                children.append(values)
            names.append(name)
        # an object all of whose cells are empty is absent (an optional reference left blank)
        present = functools.reduce(pc.or_, [pc.is_valid(c) for c in children])
        return pa.StructArray.from_arrays(children, names, mask=pc.invert(present))

    def table(self, rows: Rows, first_batch_row: int) -> pa.Table:
        m, n = self.mapping, len(rows)
        sheet = f", sheet {m.sheet}" if m.sheet is not None else ""
        row = _Row([None] * n, [None] * n, [f"{self.path.name}{sheet}, row {number}" for number, _ in rows])
        if m.event_type_column is None:
            types: list[str | None] = [m.event_types[""]] * n
        else:
            labels = [cell_text(c) for c in self._cells(rows, m.event_type_column)]
            types = [m.event_types.get((label or "").lower()) for label in labels]
            known = ", ".join(sorted(m.event_types))
            row.flag([None if t else f"{label!r} is none of the labels {known}"
                      for t, label in zip(types, labels, strict=True)], m.event_type_column, "unknown_event_type")
        if m.event_id is not None:
            event_ids = pa.array([cell_text(c) for c in self._cells(rows, m.event_id.column)], pa.string())
            row.flag(["is empty: the row has no event id" if v is None else None for v in event_ids.to_pylist()],
                     m.event_id.column, "missing_field")
            id_keys = pa.nulls(n, pa.string())
        else:
            event_ids = pa.nulls(n, pa.string())
            keys = [[cell_text(c) for c in self._cells(rows, column)] for column in m.id_from]
            id_keys = pa.array(["\x1f".join(k or "" for k in parts) for parts in zip(*keys, strict=True)])
            row.flag(["the key columns are all empty" if not any(parts) else None for parts in zip(*keys, strict=True)],
                     m.id_from[0], "missing_field")
        occurred = local_times(self._cells(rows, m.occurred_at.column), m.occurred_at, self.feed.timezone)
        row.flag(occurred.errors, m.occurred_at.column, "bad_timestamp")
        actor = self._field(rows, m.actor_ref, row) if m.actor_ref else pa.nulls(n, pa.string())
        payload = self._payload(rows, m.payload, row, types)
        originals = [orjson.dumps({h: cell_text(c) for h, c in zip(self.header, cells, strict=False) if h}).decode()
                     for _, cells in rows]
        return pa.table({
            "source_file": pa.array([str(self.path)] * n, pa.string()),
            "source_sheet": pa.array([m.sheet] * n, pa.string()),
            "line_no": pa.array([number for number, _ in rows], pa.int64()),
            "batch_row": pa.array(range(first_batch_row, first_batch_row + n), pa.int64()),
            "original": pa.array(originals, pa.string()),
            "event_id": event_ids,
            "id_prefix": pa.array([id_prefix(m.sheet, self.feed)] * n, pa.string()),
            "id_key": id_keys,
            "org_id": pa.array([self.feed.org_id] * n, pa.string()),
            "event_type": pa.array(types, pa.string()),
            "schema_version": pa.array([m.schema_version] * n, pa.int64()),
            "occurred_at": occurred.values,
            "actor_ref": actor,
            "payload": payload,
            "row_reason": pa.array(row.reasons, pa.string()),
            "row_message": pa.array(row.messages, pa.string()),
        })
