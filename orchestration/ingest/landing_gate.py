"""The landing-batch suite (expectations/landing.py) between resolve and
append: a batch that fails it is not appended, its records are quarantined
as `batch_rejected`, and the outcome reaches the ingest asset's blocking
check `landing_batch_suite`.

The frame is one batch of one file (at most the reader's 64 MB of lines),
so memory stays bounded however large the feed grows."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from expectations.landing import KEY_COLUMNS, landing_expectations
from expectations.runner import SuiteOutcome, validate_frame
from orchestration.ingest.registry import Feed
from orchestration.ingest.store import run_sql, sql_text

SUITE = "landing_batch"


@dataclass(frozen=True)
class BatchVerdict:
    label: str  # file and line range, as shown in Data Docs and in messages
    outcome: SuiteOutcome

    @property
    def rejected(self) -> bool:
        return bool(self.outcome.errors)


def check_batch(con: duckdb.DuckDBPyConnection, feed: Feed, source_file: str) -> BatchVerdict:
    """Validate landing_outcome; on an ERROR failure, turn the batch into
    quarantine rows before anything is appended."""
    frame = con.execute(sql_text("landing_suite_frame.sql")).fetch_df()
    lines = f"lines {frame['source_line'].min()}-{frame['source_line'].max()}" if len(frame) else "no lines"
    label = f"{source_file} ({lines})"
    outcome = validate_frame(f"{SUITE}.{feed.org_id}", source_file, frame,
                             landing_expectations(feed.org_id, len(frame)), KEY_COLUMNS)
    if outcome.errors:
        message = f"the landing suite rejected this batch ({lines}): " + "; ".join(
            f.describe(source_file) for f in outcome.errors)
        run_sql(con, sql_text("reject_batch.sql"), {"message": message[:2000]})
    return BatchVerdict(label, outcome)
