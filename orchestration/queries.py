"""`coopmetrics sql`: one SELECT on the warehouse through the reader
connection, its rows printed as a table, CSV or JSON lines."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb

from orchestration.core.warehouse import connect_reader
from orchestration.quality.status import format_table


class NotReadOnly(ValueError):
    """A statement that would change the warehouse."""


def format_rows(kind: str, columns: list[str], rows: list[tuple]) -> str:
    """Rows as a table, CSV (a header, then the rows) or JSON lines."""
    if kind == "table":
        return format_table(columns, rows)
    if kind == "json":
        return "\n".join(json.dumps(dict(zip(columns, row, strict=True)), default=str, ensure_ascii=False)
                         for row in rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().rstrip("\n")


def read_only_query(path: Path, query: str) -> tuple[list[str], list[tuple]]:
    statements = duckdb.extract_statements(query)
    if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
        raise NotReadOnly("read-only: only SELECT statements are allowed (one at a time)")
    con = connect_reader(path)
    try:
        cursor = con.execute(query)
        columns = [d[0] for d in cursor.description]
        return columns, cursor.fetchall()
    finally:
        con.close()
