"""The landing-batch suite (expectations/landing.py) between resolve and
append: a batch that fails it is not appended, its records are quarantined
as `batch_rejected`, and the outcome reaches the ingest asset's blocking
check `landing_batch_suite`.

The frame is the batch's profile (sql/landing_profile.sql): its distinct
values, characters and lengths, about 70 rows whatever the batch's size."""

from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass
from pathlib import PurePath

import duckdb

from expectations.landing import KEY_COLUMNS, MIN_RECORDS_FOR_SHARE, landing_expectations
from expectations.validate import SuiteOutcome, validate_frame
from orchestration.core.registry import Feed
from orchestration.core.warehouse import run_sql, sql_text
from orchestration.ingest import SQL_DIR

SUITE = "landing_batch"
_preloading: threading.Thread | None = None


def preload_great_expectations() -> None:
    """Start importing great_expectations in the background (it takes seconds):
    DuckDB releases the GIL while it parses the first batch, so the import is
    mostly done by the time that batch reaches the suite, whose own import
    then waits on the import lock instead of starting over."""
    global _preloading
    if _preloading is None:
        _preloading = threading.Thread(target=importlib.import_module, args=("great_expectations",),
                                       name="preload-great-expectations", daemon=True)
        _preloading.start()


@dataclass(frozen=True)
class BatchVerdict:
    label: str  # file and line range, as shown in Data Docs and in messages
    outcome: SuiteOutcome

    @property
    def rejected(self) -> bool:
        return bool(self.outcome.errors)


def batch_label(extent: list[tuple[str, int, int | None, int | None]]) -> str:
    """Name a batch by its files and lines, as Data Docs and messages show it."""
    def lines(records: int, first: int | None, last: int | None) -> str:
        return f"lines {first}-{last}" if records else "no lines"

    if not extent:  # a workbook or snapshot that made no record (a snapshot the same as the last)
        return "no records"
    if len(extent) == 1:
        source, records, first, last = extent[0]
        return f"{source} ({lines(records, first, last)})"
    (head, *_, tail) = extent
    return (f"{len(extent)} files, {head[0]} ({lines(*head[1:])}) to "
            f"{PurePath(tail[0]).name} ({lines(*tail[1:])})")


def check_batch(con: duckdb.DuckDBPyConnection, feed: Feed) -> BatchVerdict:
    """Validate landing_outcome; on an ERROR failure, turn the batch into
    quarantine rows before anything is appended."""
    label = batch_label(run_sql(con, sql_text("landing_extent.sql", SQL_DIR)))
    frame = con.execute(sql_text("landing_profile.sql", SQL_DIR),
                        {"min_records_for_share": MIN_RECORDS_FOR_SHARE}).fetch_df()
    outcome = validate_frame(f"{SUITE}.{feed.org_id}", label, frame, landing_expectations(feed),
                             KEY_COLUMNS, profile=True)
    if outcome.errors:
        message = "the landing suite rejected its batch: " + "; ".join(
            f.describe(label) for f in outcome.errors)
        run_sql(con, sql_text("reject_batch.sql", SQL_DIR), {"message": message[:2000]})
    return BatchVerdict(label, outcome)
