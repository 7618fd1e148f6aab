"""Cells to values, a column at a time. A cell arrives as the office suite
stored it (a number, a date, a boolean) or as text; typed cells are taken
as they are, text cells are read by the field's declared conversion
(decimal and thousands separators, a date format, the words of a boolean)
with Arrow's compiled kernels. A cell that cannot be converted leaves its
value empty and says why, for the row's quarantine message."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from orchestration.core.sheet_mapping import CellField

# the text forms occurred_at takes when the mapping declares no format: with an offset, then naive
ISO_FORMATS_WITH_OFFSET = ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%z")
ISO_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M",
               "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d")


@dataclass
class Converted:
    values: pa.Array
    errors: list[str | None]  # per cell: why it could not be converted, None when it could (or is empty)


def cell_text(value: Any) -> str | None:
    """A cell as a person reads it: text as written, a whole number without
    '.0', a date in ISO form; None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time(0) else value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value).strip() or None


def _split(cells: list[Any]) -> tuple[pa.Array, list[Any]]:
    """The text cells (stripped, the others null) and the typed ones (the others None)."""
    texts = pa.array([c if type(c) is str else None for c in cells], pa.string())
    texts = pc.if_else(pc.equal(pc.utf8_trim_whitespace(texts), ""), None, pc.utf8_trim_whitespace(texts))
    return texts, [None if type(c) is str else c for c in cells]


def _failing(failed: pa.Array) -> list[int]:
    return pc.indices_nonzero(pc.fill_null(failed, False)).to_pylist()


def _errors(failed: pa.Array, cells: list[Any], what: str) -> list[str | None]:
    errors: list[str | None] = [None] * len(cells)
    for i in _failing(failed):
        errors[i] = f"{cell_text(cells[i])!r} is not {what}"
    return errors


def _number_pattern(spec: CellField, integer: bool) -> str:
    thousands = re.escape(spec.thousands) if spec.thousands else ""
    grouped = rf"\d{{1,3}}(?:{thousands}\d{{3}})+" if thousands else None
    whole = rf"(?:{grouped}|\d+)" if grouped else r"\d+"
    fraction = "" if integer else rf"(?:{re.escape(spec.decimal)}\d+)?"
    return rf"^[+-]?{whole}{fraction}$"


def _numbers(cells: list[Any], spec: CellField, integer: bool) -> Converted:
    texts, typed = _split(cells)
    readable = pc.match_substring_regex(texts, _number_pattern(spec, integer))
    plain = texts
    if spec.thousands:
        plain = pc.replace_substring(plain, spec.thousands, "")
    plain = pc.replace_substring(plain, spec.decimal, ".")
    from_text = pc.cast(pc.if_else(readable, plain, None), pa.float64())
    typed_numbers = pa.array([float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None
                              for v in typed], pa.float64())
    values = pc.coalesce(typed_numbers, from_text)
    typed_bad = pa.array([v is not None and (isinstance(v, bool) or not isinstance(v, int | float)) for v in typed])
    failed = pc.or_(pc.fill_null(pc.invert(readable), False), typed_bad)
    if integer:
        fractional = pc.fill_null(pc.not_equal(values, pc.floor(values)), False)
        failed = pc.or_(failed, fractional)
        values = pc.cast(pc.if_else(fractional, None, values), pa.int64())
    what = "a whole number" if integer else "a number"
    if spec.thousands or spec.decimal != ".":
        what += f" (decimal {spec.decimal!r}" + (f", thousands {spec.thousands!r})" if spec.thousands else ")")
    return Converted(pc.if_else(failed, None, values), _errors(failed, cells, what))


def _dates(cells: list[Any], spec: CellField) -> Converted:
    texts, typed = _split(cells)
    fmt = spec.format or "%Y-%m-%d"
    parsed = pl.Series(texts).str.strptime(pl.Date, fmt, strict=False).to_arrow()
    typed_dates = pa.array([v.date() if isinstance(v, dt.datetime) else v if isinstance(v, dt.date) else None
                            for v in typed], pa.date32())
    typed_bad = pa.array([v is not None and not isinstance(v, dt.date) for v in typed])
    failed = pc.or_(pc.and_(pc.is_valid(texts), pc.is_null(parsed)), typed_bad)
    values = pc.cast(pc.coalesce(typed_dates, parsed), pa.string())
    return Converted(pc.if_else(failed, None, values), _errors(failed, cells, f"a date written {fmt}"))


def _booleans(cells: list[Any], spec: CellField) -> Converted:
    texts, typed = _split(cells)
    lower = pc.utf8_lower(texts)
    true, false = pc.is_in(lower, pa.array(spec.true)), pc.is_in(lower, pa.array(spec.false))
    from_text = pc.if_else(true, True, pc.if_else(false, False, None))
    typed_bools = pa.array([v if isinstance(v, bool) else None for v in typed], pa.bool_())
    typed_bad = pa.array([v is not None and not isinstance(v, bool) for v in typed])
    failed = pc.or_(pc.and_(pc.is_valid(texts), pc.is_null(from_text)), typed_bad)
    words = f"one of {', '.join(w for w in spec.true + spec.false if w)}"
    return Converted(pc.coalesce(typed_bools, from_text), _errors(failed, cells, words))


def convert(cells: list[Any], spec: CellField) -> Converted:
    """The column's cells converted by the field's type."""
    if spec.type in ("integer", "decimal"):
        return _numbers(cells, spec, spec.type == "integer")
    if spec.type == "date":
        return _dates(cells, spec)
    if spec.type == "boolean":
        return _booleans(cells, spec)
    return Converted(pa.array([cell_text(c) for c in cells], pa.string()), [None] * len(cells))


def local_times(cells: list[Any], spec: CellField, timezone: str) -> Converted:
    """occurred_at as RFC 3339 text in UTC: a typed date or date-time cell, or
    text in the declared format (else ISO forms, with or without an offset),
    naive ones local to `timezone`; a local time a daylight-saving change
    skips or repeats is refused, never guessed."""
    texts, typed = _split(cells)
    series = pl.Series(texts)
    aware = pl.Series([None] * len(cells), dtype=pl.Datetime("us", "UTC"))
    naive = pl.Series([v if isinstance(v, dt.datetime) else dt.datetime.combine(v, dt.time(0))
                       if isinstance(v, dt.date) else None for v in typed], dtype=pl.Datetime("us"))
    if spec.format:
        if "%z" in spec.format:
            aware = series.str.strptime(pl.Datetime("us", "UTC"), spec.format, strict=False)
        else:
            naive = naive.fill_null(series.str.strptime(pl.Datetime("us"), spec.format, strict=False))
    else:
        for fmt in ISO_FORMATS_WITH_OFFSET:
            aware = aware.fill_null(series.str.strptime(pl.Datetime("us", "UTC"), fmt, strict=False))
        for fmt in ISO_FORMATS:
            naive = naive.fill_null(series.str.strptime(pl.Datetime("us"), fmt, strict=False))
    localised = naive.dt.replace_time_zone(timezone, ambiguous="null", non_existent="null")
    at_all = naive.dt.replace_time_zone(timezone, ambiguous="earliest", non_existent="null")
    utc = aware.fill_null(localised.dt.convert_time_zone("UTC"))
    errors: list[str | None] = [None] * len(cells)
    failed = pc.and_(pc.is_null(utc.to_arrow()), pa.array([cell_text(c) is not None for c in cells]))
    when_list, exists_list = naive.to_list(), at_all.to_list()
    for i in _failing(failed):
        cell, when, exists = cell_text(cells[i]), when_list[i], exists_list[i]
        if when is not None and exists is None:
            errors[i] = f"{cell!r} does not exist in {timezone} (a daylight-saving change skips it)"
        elif when is not None:
            errors[i] = f"{cell!r} happens twice in {timezone} (a daylight-saving change repeats it)"
        else:
            errors[i] = f"{cell!r} is not a date or time written {spec.format or 'in ISO 8601'}"
    text = utc.dt.strftime("%Y-%m-%dT%H:%M:%S%.fZ").to_arrow()
    return Converted(text, errors)
