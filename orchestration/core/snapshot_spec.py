"""A snapshot feed's declaration (the registry's `snapshot:`, docs/events.md):
a register exported whole, again and again, whose differences become events
(ingest/snapshots.py). Read strictly when the registry is read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from orchestration.core.registry_yaml import RegistryError, known_keys, where
from orchestration.core.schemas import payload_rule

# each register's columns: the ones it needs, then the optional ones
REGISTER_COLUMNS = {
    "members": (("person", "role", "joined_on"), ("left_on",)),
    "initiatives": (("initiative_id", "title", "sector", "locality", "launched_on"),
                    ("parent_org_id", "parent_initiative_id", "closed_on", "outcome")),
}
# the columns whose values are an enum of the events' schemas, which labels translate into
LABELLED = {"role": ("member.joined", "role"), "outcome": ("initiative.closed", "outcome")}
DATE_COLUMNS = {"joined_on", "left_on", "launched_on", "closed_on"}
SNAPSHOT_KEYS = {"register", "sheet", "header_row", "snapshot_at", "key", "columns", "labels", "date_format"}
_CELL = re.compile(r"^([A-Z]{1,3})([1-9][0-9]{0,6})$")


@dataclass(frozen=True)
class SnapshotSpec:
    register: str  # members | initiatives
    sheet: str | None  # None for a CSV file
    header_row: int
    key: tuple[str, ...]  # header names
    columns: dict[str, str]  # register column -> header name
    snapshot_pattern: str | None = None  # a regex on the file name whose first group is the time
    snapshot_cell: tuple[int, int] | None = None  # (row, column), 0-based, of a cell holding the time
    snapshot_format: str = "%Y-%m-%d"
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # column -> label (lower) -> value
    date_format: str | None = None  # for date columns held as text

    @property
    def headers(self) -> list[str]:
        return list(dict.fromkeys([*self.key, *self.columns.values()]))


def _cell_position(ref: str) -> tuple[int, int]:
    match = _CELL.match(ref)
    assert match
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)) - 1, column - 1


def snapshot_spec(raw: Any, place: str, csv_file: bool) -> SnapshotSpec:
    if not isinstance(raw, dict):
        raise RegistryError(f"{place}: snapshot must be a mapping")
    known_keys(raw, SNAPSHOT_KEYS, place)
    register = raw.get("register")
    if register not in REGISTER_COLUMNS:
        raise RegistryError(f"{where(raw, 'register', place)}: {place}: register must be one of "
                            f"{', '.join(REGISTER_COLUMNS)}, got {register!r}")
    if csv_file == ("sheet" in raw):
        raise RegistryError(f"{where(raw, 'sheet', place)}: {place}: a snapshot of a "
                            f"{'CSV file names no sheet' if csv_file else 'workbook names its sheet'}")
    needed, optional = REGISTER_COLUMNS[register]
    columns = raw.get("columns")
    if not isinstance(columns, dict):
        raise RegistryError(f"{where(raw, 'columns', place)}: {place}: columns must map the register's columns")
    unknown = sorted(set(columns) - set(needed) - set(optional))
    missing = [c for c in needed if c not in columns]
    if unknown or missing:
        raise RegistryError(f"{where(columns, unknown[0] if unknown else None, place)}: {place}.columns: "
                            + (f"unknown {', '.join(unknown)}; " if unknown else "")
                            + (f"missing {', '.join(missing)}; " if missing else "")
                            + f"a {register} register has {', '.join(needed)} and optionally {', '.join(optional)}")
    key = raw.get("key")
    if not isinstance(key, list) or not key or not set(map(str, key)) <= set(map(str, columns.values())):
        raise RegistryError(f"{where(raw, 'key', place)}: {place}: key must list header names among the columns")
    stamp = raw.get("snapshot_at")
    if not isinstance(stamp, dict) or len({"file_name", "cell"} & set(stamp)) != 1:
        raise RegistryError(f"{where(raw, 'snapshot_at', place)}: {place}: snapshot_at must be "
                            "{file_name: PATTERN, format: ...} or {cell: B1, format: ...}")
    known_keys(stamp, {"file_name", "cell", "format"}, f"{place}.snapshot_at")
    pattern = stamp.get("file_name")
    if pattern is not None:
        try:
            if re.compile(pattern).groups < 1:
                raise RegistryError(f"{where(stamp, 'file_name', place)}: {place}: the file_name pattern needs a "
                                    "(group) around the time")
        except re.error as exc:
            raise RegistryError(f"{where(stamp, 'file_name', place)}: {place}: bad pattern ({exc})") from exc
    cell = stamp.get("cell")
    if cell is not None and not _CELL.match(str(cell)):
        raise RegistryError(f"{where(stamp, 'cell', place)}: {place}: cell must be a reference such as B1")
    labels: dict[str, dict[str, str]] = {}
    for column, table in (raw.get("labels") or {}).items():
        if column not in LABELLED or column not in columns or not isinstance(table, dict):
            raise RegistryError(f"{where(raw.get('labels'), column, place)}: {place}.labels: only "
                                f"{', '.join(sorted(c for c in LABELLED if c in columns))} take labels")
        allowed = payload_rule(*LABELLED[column])["enum"]
        bad = sorted(str(v) for v in table.values() if v not in allowed)
        if bad:
            raise RegistryError(f"{where(table, None, place)}: {place}.labels.{column}: {', '.join(bad)} not one "
                                f"of {', '.join(allowed)}")
        labels[column] = {str(k).strip().lower(): str(v) for k, v in table.items()}
    header_row = raw.get("header_row", 1)
    if isinstance(header_row, bool) or not isinstance(header_row, int) or not 1 <= header_row <= 1000:
        raise RegistryError(f"{where(raw, 'header_row', place)}: {place}: header_row must be a row from 1 to 1000")
    return SnapshotSpec(register=register, sheet=None if csv_file else str(raw["sheet"]), header_row=header_row,
                        key=tuple(map(str, key)), columns={k: str(v) for k, v in columns.items()},
                        snapshot_pattern=pattern, snapshot_cell=_cell_position(str(cell)) if cell else None,
                        snapshot_format=str(stamp.get("format", "%Y-%m-%d")), labels=labels,
                        date_format=raw.get("date_format"))
