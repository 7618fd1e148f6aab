"""The rows of a sheet: an XLSX or ODS sheet read by calamine (python-calamine,
compiled; each cell keeps the type the office suite stored: number, date,
boolean or text), or a CSV file read by the standard library's C reader
(every cell text). Rows come in batches, each with the row numbers a
spreadsheet shows, so memory follows the batch, not the workbook."""

from __future__ import annotations

import codecs
import csv
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from orchestration.ingest.cells import cell_text

ROW_BATCH = 50_000  # rows converted at a time; each batch is an Arrow table of records
_DECODE_BLOCK = 1 << 20


class SheetTrouble(Exception):
    """The file cannot be read as the feed declares (not a workbook, no such
    sheet, a mapped column missing): quarantined whole, with this message
    and reason."""

    def __init__(self, message: str, reason: str = "unreadable_file") -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class SheetRows:
    sheet: str | None
    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]  # (row number as shown, cells), empty rows left out

    def batches(self, size: int = ROW_BATCH) -> Iterator[list[tuple[int, list[Any]]]]:
        while batch := list(itertools.islice(self.rows, size)):
            yield batch

    def require(self, columns: list[str], path: Path) -> None:
        missing = [c for c in columns if c not in self.header]
        if missing:
            where = f"sheet {self.sheet!r}" if self.sheet is not None else "the file"
            raise SheetTrouble(f"{where} of {path.name} lacks the mapped column(s) {', '.join(missing)} "
                               f"in its header (it has: {', '.join(h for h in self.header if h) or 'nothing'})",
                               "missing_column")


def _empty(cells: list[Any]) -> bool:
    return all(c is None or c == "" for c in cells)


def workbook_sheets(path: Path) -> tuple[CalamineWorkbook, list[str]]:
    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, ValueError, OSError) as exc:
        raise SheetTrouble(f"not a workbook calamine can read ({exc})") from None
    return book, list(book.sheet_names)


def open_workbook_sheet(book: CalamineWorkbook, names: list[str], sheet: str, header_row: int,
                        path: Path) -> SheetRows:
    if sheet not in names:
        raise SheetTrouble(f"{path.name} has no sheet {sheet!r} (its sheets: {', '.join(names)})", "unknown_sheet")
    try:
        data = book.get_sheet_by_name(sheet)
    except (CalamineError, ValueError) as exc:
        raise SheetTrouble(f"sheet {sheet!r} of {path.name} cannot be read ({exc})") from None
    first_row, first_column = data.start if data.start else (0, 0)
    rows = data.iter_rows()
    number = first_row  # the 1-based number of the row last taken from `rows`
    header: list[Any] = []
    for number, cells in enumerate(rows, start=first_row + 1):
        if number == header_row:
            header = cells
            break
        if number > header_row:
            break
    names_in_header = [cell_text(v) or "" for v in header]
    # cells before the range's first column are empty: calamine's range starts at the first cell used
    width = first_column + len(names_in_header)
    padded = [""] * first_column + names_in_header

    def body() -> Iterator[tuple[int, list[Any]]]:
        if number < header_row:
            return
        for row_number, cells in enumerate(rows, start=number + 1):
            if not _empty(cells):
                yield row_number, ([""] * first_column + list(cells))[:width]
    return SheetRows(sheet, padded, body())


def _check_encoding(path: Path, encoding: str) -> None:
    """The whole file decodes, checked before any row is read, so a bad byte
    quarantines the file up front and never half of it."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    with path.open("rb") as handle:
        while block := handle.read(_DECODE_BLOCK):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                raise SheetTrouble(f"not {encoding} text: byte {offset + exc.start} cannot be decoded") from None
            offset += len(block)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise SheetTrouble(f"not {encoding} text: the file ends inside a character ({exc.reason})") from None


def open_csv_rows(path: Path, encoding: str, delimiter: str, header_row: int) -> SheetRows:
    _check_encoding(path, encoding)
    # utf-8-sig: a byte-order mark is not part of the first cell
    handle = path.open(encoding="utf-8-sig" if encoding.replace("-", "").lower() == "utf8" else encoding,
                       newline="")
    reader = csv.reader(handle, delimiter=delimiter)
    header: list[str] = []
    try:
        for number, cells in enumerate(reader, start=1):
            if number == header_row:
                header = [c.strip() for c in cells]
                break
    except csv.Error as exc:
        handle.close()
        raise SheetTrouble(f"not a CSV file ({exc})") from None

    def body() -> Iterator[tuple[int, list[Any]]]:
        with handle:
            number = header_row
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:  # a quote never closed: the rest of the file is one cell
                    raise SheetTrouble(f"row {number + 1}: {exc}") from None
                number += 1
                if not _empty(cells):
                    yield number, (cells + [""] * (len(header) - len(cells)))[: max(len(header), len(cells))]
    return SheetRows(None, header, body())
