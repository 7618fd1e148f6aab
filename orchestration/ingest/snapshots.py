"""A file of a feed whose files are rows, not events, as batches of records:
a tabular feed's sheets mapped row by row (sheet_files.py), a snapshot
feed's register compared with the state its earlier snapshots built
(snapshot_diff.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from orchestration.core.registry import Feed
from orchestration.ingest.ingest_run import IngestRun
from orchestration.ingest.sheet_files import sheet_tables
from orchestration.ingest.sheet_rows import SheetTrouble
from orchestration.ingest.snapshot_diff import snapshot_tables
from orchestration.ingest.snapshot_read import snapshot_time


def file_tables(con: duckdb.DuckDBPyConnection, feed: Feed, path: Path,
                run: IngestRun) -> Iterator[tuple[pa.Table, int, bool, dict[str, pa.Table] | None]]:
    """(records, last row number, whether it is the file's last batch, a snapshot's rows and notes to
    append with it), for every batch of the file;
    raises SheetTrouble before the first when the file cannot be read as the feed declares."""
    if feed.kind == "snapshot":
        return snapshot_tables(con, feed, path, run)
    return sheet_tables(feed, path, run.row_batch)


def snapshot_order(feed: Feed, path: Path) -> datetime:
    """When a snapshot file was exported, to apply a run's files in that order (latest when unreadable)."""
    try:
        return snapshot_time(feed, path)
    except (SheetTrouble, OSError):
        return datetime.max
