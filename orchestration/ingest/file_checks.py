"""What a file must be before its lines are queued: a CSV event log's header
holding the mapped columns (and the parse parameters it gives), a Parquet
file's footer naming the envelope's columns. A file that is not is
quarantined whole (WrongFormat)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.core.registry import Feed
from orchestration.core.schemas import envelope_schema
from orchestration.ingest.reader import first_line


class WrongFormat(Exception):
    """The whole file cannot be read as the feed's format."""

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason


def csv_params(feed: Feed, path: Path) -> dict[str, Any]:
    options = feed.csv
    assert options is not None
    header_bytes = first_line(path, feed.max_line_bytes)
    if header_bytes is None:
        raise WrongFormat(f"the CSV header is longer than the feed's line limit ({feed.max_line_bytes} bytes)")
    try:
        header_text = header_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WrongFormat("the CSV header is not UTF-8") from exc
    header = next(csv.reader(io.StringIO(header_text), delimiter=options.delimiter), [])
    header = [name.strip() for name in header]
    missing = [col for col in options.columns.values() if col not in header]
    if missing:
        raise WrongFormat(f"the CSV header lacks mapped column(s) {', '.join(missing)}")
    delim = options.delimiter
    escaped = "\\" + delim if not delim.isalnum() else delim
    # one field: quoted (blanks around it allowed) or bare
    field = f'( *"(?:[^"]|"")*" *|[^{escaped}"]*)'
    params: dict[str, Any] = {
        "delimiter": delim,
        "field_pattern": field + escaped,
        # a whole row of the header's width, then the end mark parse_csv.sql appends: one pass of one
        # expression, against one a field for the rows it does not match
        "row_pattern": "^" + escaped.join([field] * len(header)) + "(\x01)$",
        "row_groups": [f"field_{n}" for n in range(1, len(header) + 1)] + ["row_end"],
        "column_count": len(header),
        "feed_org_id": feed.org_id,
        "timezone": options.timezone,
        "dst_resolution": options.dst_resolution,
        "label_from": list(options.event_type_labels) or [""],
        "label_to": list(options.event_type_labels.values()) or [""],
    }
    for envelope_field in envelope_schema()["properties"]:
        column = options.columns.get(envelope_field)
        params[f"i_{envelope_field}"] = header.index(column) + 1 if column else None
    return params


def check_parquet_columns(path: Path) -> None:
    """The envelope's required fields must be columns of the file (read from
    its footer): parse_parquet.sql reads the payload column by name. A file
    whose footer cannot be read is left to DuckDB, which says why."""
    try:
        columns = pq.read_schema(path).names
    except (OSError, pa.ArrowException):
        return
    missing = [name for name in envelope_schema()["required"] if name not in columns]
    if missing:
        raise WrongFormat(f"the Parquet file lacks the envelope column(s) {', '.join(missing)}")
