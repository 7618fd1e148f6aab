"""A tabular feed's file as batches of records: each mapped sheet (or the CSV
file) read by sheet_rows.py, each batch of rows mapped by tabular.py.
Everything that makes the whole file unusable (not a workbook, a sheet
that is not there, a mapped column missing from a header) is found before
the first batch, so such a file is quarantined whole and never half read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

from orchestration.core.registry import Feed
from orchestration.core.sheet_mapping import SheetMapping
from orchestration.ingest.sheet_rows import (
    ROW_BATCH,
    SheetRows,
    open_csv_rows,
    open_workbook_sheet,
    workbook_sheets,
)
from orchestration.ingest.tabular import SheetRecords


def open_rows(feed: Feed, path: Path, sheet: str | None, header_row: int) -> SheetRows:
    """One sheet of a workbook, or the CSV file, positioned after its header."""
    if feed.format == "csv":
        assert feed.csv is not None
        return open_csv_rows(path, feed.csv.encoding, feed.csv.delimiter, header_row)
    book, names = workbook_sheets(path)
    assert sheet is not None
    return open_workbook_sheet(book, names, sheet, header_row, path)


def _checked(feed: Feed, path: Path, mapping: SheetMapping) -> SheetRows:
    rows = open_rows(feed, path, mapping.sheet, mapping.header_row)
    rows.require(mapping.columns, path)
    return rows


def sheet_tables(feed: Feed, path: Path, batch_rows: int = ROW_BATCH) -> Iterator[tuple[pa.Table, int, bool, None]]:
    """(records, last row number, last batch of the file, None) for every batch of
    every mapped sheet, at least one (empty when no sheet has a row). Raises
    SheetTrouble before returning when the file cannot be read as mapped: each
    sheet is opened and its header checked first (a workbook of several
    mapped sheets is read twice for that; one sheet is read once)."""
    mappings = list(feed.sheets)
    opened = [_checked(feed, path, m) for m in mappings[:1]]
    for mapping in mappings[1:]:
        _checked(feed, path, mapping)  # checked, then let go: one sheet's cells are held at a time
    return _tables(feed, path, mappings, opened[0], batch_rows)


def _tables(feed: Feed, path: Path, mappings: list[SheetMapping], first: SheetRows,
            batch_rows: int) -> Iterator[tuple[pa.Table, int, bool, None]]:
    pending: tuple[pa.Table, int] | None = None
    for n, mapping in enumerate(mappings):
        rows = first if n == 0 else _checked(feed, path, mapping)
        records = SheetRecords(feed, mapping, path, rows.header)
        for batch in rows.batches(batch_rows):
            if pending is not None:
                yield pending[0], pending[1], False, None
            pending = (records.table(batch, 0), batch[-1][0])
    if pending is None:
        records = SheetRecords(feed, mappings[0], path, first.header)
        pending = (records.table([], 0), 0)
    yield pending[0], pending[1], True, None
