"""A snapshot file read as its register (docs/events.md, snapshot feeds): its
snapshot time (from the file name or a cell), and every row with its key
and the register's columns converted (dates, labels), people pseudonymised
before anything is compared or kept."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import orjson

from orchestration.core.registry import Feed
from orchestration.core.sheet_mapping import CellField
from orchestration.core.snapshot_spec import DATE_COLUMNS, SnapshotSpec
from orchestration.core.warehouse import run_sql, sql_text
from orchestration.ingest import SQL_DIR
from orchestration.ingest.cells import cell_text, convert
from orchestration.ingest.sheet_files import open_rows
from orchestration.ingest.sheet_rows import SheetTrouble


@dataclass
class RegisterRow:
    line: int
    key_hash: str | None  # None when the key cells are empty
    values: dict[str, Any]  # register column -> value (dates ISO text, people pseudonymised)
    original: str  # the row's cells as JSON text
    error: str | None = None  # the first cell that could not be read, or the key repeated
    reason: str = "invalid_payload"  # the error's quarantine reason
    place: str = ""  # file, sheet and row, for messages
    row_hash: str = field(init=False)

    def __post_init__(self) -> None:
        self.row_hash = hashlib.sha256(orjson.dumps(self.values, option=orjson.OPT_SORT_KEYS)).hexdigest()


def local_midnight(day: dt.date, timezone: str) -> dt.datetime:
    """A date alone is midnight at the start of that day where the feed is: in UTC, naive."""
    start = dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(timezone))
    return start.astimezone(dt.UTC).replace(tzinfo=None)


def _cell(feed: Feed, path: Path, position: tuple[int, int]) -> Any:
    row, column = position
    spec = feed.snapshot
    assert spec is not None
    # the cell's row read as if it were the header: its cells as text
    cells = open_rows(feed, path, spec.sheet, row + 1).header
    return cells[column] if column < len(cells) else None


def snapshot_time(feed: Feed, path: Path) -> dt.datetime:
    """When the register was exported, in UTC (naive): from the file name by the declared pattern, or from
    the declared cell; a date alone is local midnight."""
    spec = feed.snapshot
    assert spec is not None
    if spec.snapshot_pattern is not None:
        found = re.search(spec.snapshot_pattern, path.name)
        if not found:
            raise SheetTrouble(f"the file name {path.name!r} does not match the snapshot_at pattern "
                               f"{spec.snapshot_pattern!r}", "bad_timestamp")
        value: Any = found.group(1)
        where = f"the file name's {value!r}"
    else:
        assert spec.snapshot_cell is not None
        value = _cell(feed, path, spec.snapshot_cell)
        where = f"the snapshot_at cell's {cell_text(value)!r}"
    if isinstance(value, dt.datetime | dt.date):
        stamp = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time(0))
    else:
        try:
            stamp = dt.datetime.strptime(str(value).strip(), spec.snapshot_format)
        except ValueError:
            try:  # a typed date cell, read as its ISO text
                stamp = dt.datetime.fromisoformat(str(value).strip())
            except ValueError:
                raise SheetTrouble(f"{where} is not a time written {spec.snapshot_format}",
                                   "bad_timestamp") from None
    return local_midnight(stamp.date(), feed.timezone) if stamp.time() == dt.time(0) else \
        stamp.replace(tzinfo=ZoneInfo(feed.timezone)).astimezone(dt.UTC).replace(tzinfo=None)


def _column(spec: SnapshotSpec, name: str, cells: list[Any]) -> tuple[list[Any], list[str | None]]:
    if name in DATE_COLUMNS:
        converted = convert(cells, CellField(column=spec.columns[name], type="date", format=spec.date_format))
        return converted.values.to_pylist(), converted.errors
    texts = [cell_text(c) for c in cells]
    labels = spec.labels.get(name)
    if labels is None:
        return texts, [None] * len(texts)
    values = [None if t is None else labels.get(t.lower()) for t in texts]
    errors = [f"{t!r} is none of the labels {', '.join(sorted(labels))}" if t is not None and v is None else None
              for t, v in zip(texts, values, strict=True)]
    return values, errors


def read_register(con: duckdb.DuckDBPyConnection, feed: Feed, path: Path) -> list[RegisterRow]:
    """Every row of the snapshot, read and converted; checked up front for its sheet and columns."""
    spec = feed.snapshot
    assert spec is not None
    sheet = open_rows(feed, path, spec.sheet, spec.header_row)
    sheet.require(spec.headers, path)
    rows = [row for batch in sheet.batches() for row in batch]
    index = {h: sheet.header.index(h) for h in spec.headers}

    def cells(header: str) -> list[Any]:
        i = index[header]
        return [c[i] if i < len(c) else None for _, c in rows]

    columns: dict[str, list[Any]] = {}
    errors: list[str | None] = [None] * len(rows)
    for name, header in spec.columns.items():
        columns[name], column_errors = _column(spec, name, cells(header))
        for i, error in enumerate(column_errors):
            if error and errors[i] is None:
                errors[i] = f"column {header}: {error}"
    # people, and key cells that may be addresses, as they may be kept
    plain_keys = [[cell_text(c) for c in cells(h)] for h in spec.key]
    pseudonymised = run_sql(con, sql_text("pseudonymise_values.sql", SQL_DIR),
                            {"values": [v for column in plain_keys for v in column]
                             + (columns.get("person") or [])})[0][0]
    n = len(rows)
    keys = [pseudonymised[k * n:(k + 1) * n] for k in range(len(spec.key))]
    if "person" in columns:
        columns["person"] = pseudonymised[len(spec.key) * n:]
    sheet_name = f", sheet {spec.sheet}" if spec.sheet is not None else ""
    out = []
    for i, (line, row_cells) in enumerate(rows):
        key_cells = [column[i] for column in keys]
        key_hash = (hashlib.sha256("\x1f".join(k or "" for k in key_cells).encode()).hexdigest()
                    if any(key_cells) else None)
        error = errors[i] or (None if key_hash else f"the key column(s) {', '.join(spec.key)} are empty")
        original = orjson.dumps({h: cell_text(c) for h, c in zip(sheet.header, row_cells, strict=False) if h})
        place = f"{path.name}{sheet_name}, row {line}"
        out.append(RegisterRow(line, key_hash, {name: values[i] for name, values in columns.items()},
                               original.decode(), f"{place}, {error}" if error else None, place=place))
    return out
