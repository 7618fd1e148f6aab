"""Per-file bookkeeping in raw.ingest_ledger: where a file was left (so a
grown file is read from there and an unchanged one is skipped), and the
counts of each batch, which always satisfy
records_read = stored + duplicates + quarantined."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import duckdb

from orchestration.core.registry import Feed
from orchestration.core.warehouse import run_script, run_sql, sql_text
from orchestration.ingest import SQL_DIR

if TYPE_CHECKING:
    from orchestration.ingest.ingest_run import IngestRun


@dataclass(frozen=True)
class FileState:
    byte_offset: int
    last_line: int
    fingerprint: str | None  # the digest of bytes [0, byte_offset) (file_digest.py)
    status: str = "ingested"
    mtime_ns: int | None = None


@dataclass(frozen=True)
class FileSegment:
    """The new lines of one file that a landing batch holds: a batch may hold
    segments of several files of the feed, and a large file may be cut into
    several batches."""
    source_file: str
    byte_from: int
    byte_to: int
    last_line: int
    fingerprint: str  # the digest of bytes [0, byte_to) (file_digest.py): where the next run resumes
    starts_file: bool  # the file's first lines are in the batch (its readability is judged there)
    mtime_ns: int | None = None  # the file's mtime when it was read


def previous_states(con: duckdb.DuckDBPyConnection, feed: Feed) -> dict[str, FileState]:
    """Where the last runs left each file of the feed, read in one query."""
    rows = run_sql(con, sql_text("file_state.sql", SQL_DIR), {"feed_id": feed.feed_id})
    return {source: FileState(*state) for source, *state in rows}


def _ledger(con: duckdb.DuckDBPyConnection, feed: Feed, source_file: str, run: IngestRun,
            status: str, counts: dict[str, Any], byte_from: int, byte_to: int,
            last_line: int, fingerprint: str | None, message: str | None, mtime_ns: int | None) -> None:
    run_sql(con, sql_text("ledger_insert.sql", SQL_DIR), {
        "run_id": run.run_id, "feed_org_id": feed.org_id, "feed_id": feed.feed_id, "source_file": source_file,
        "status": status, "started_at": run.now, **counts,
        "byte_offset_from": byte_from, "byte_offset_to": byte_to, "last_line": last_line,
        "prefix_sha256": fingerprint, "message": message, "source_mtime_ns": mtime_ns,
    })


def record_batch(con: duckdb.DuckDBPyConnection, feed: Feed, run: IngestRun,
                 segments: list[FileSegment]) -> dict[str, dict[str, Any]]:
    """Append the resolved batch (landing_outcome) and a ledger row for each
    file segment in it; returns each file's counts and reasons."""
    run_script(con, "append.sql", {"run_id": run.run_id, "now": run.now, "feed_org_id": feed.org_id,
                                      "feed_id": feed.feed_id}, folder=SQL_DIR)
    counts = {s.source_file: {"records_read": 0, "stored": 0, "duplicates": 0, "quarantined": 0} for s in segments}
    reasons: dict[str, dict[str, int]] = {s.source_file: {} for s in segments}
    for source_file, outcome, reason, records in run_sql(con, sql_text("outcome_counts.sql", SQL_DIR)):
        key = {"stored": "stored", "duplicate": "duplicates", "quarantined": "quarantined"}[outcome]
        counts[source_file][key] += records
        counts[source_file]["records_read"] += records
        if reason:
            reasons[source_file][reason] = reasons[source_file].get(reason, 0) + records
    # one ledger row a file of the batch, whatever the number of its segments (a file's lines may come
    # in several reads: its counts are the file's, so a row a segment would count them again)
    by_file: dict[str, list[FileSegment]] = {}
    for segment in segments:
        by_file.setdefault(segment.source_file, []).append(segment)
    for source_file, parts in by_file.items():
        _ledger(con, feed, source_file, run, "ingested", counts[source_file], parts[0].byte_from,
                parts[-1].byte_to, parts[-1].last_line, parts[-1].fingerprint, None, parts[-1].mtime_ns)
    return {source: {**counts[source], "reasons": reasons[source]} for source in counts}


def quarantine_file(con: duckdb.DuckDBPyConnection, feed: Feed, source_file: str, run: IngestRun,
                    reason: str, message: str, size: int, fingerprint: str, mtime_ns: int | None) -> None:
    """A file that cannot be read at all: one quarantine row for the file,
    a ledger row that reads no record; the file stays where it landed. Runs
    in the caller's transaction."""
    run_sql(con, sql_text("quarantine_file.sql", SQL_DIR), {
        "run_id": run.run_id, "now": run.now, "feed_org_id": feed.org_id, "feed_id": feed.feed_id,
        "source_file": source_file, "reason": reason, "message": message,
    })
    zero = {"records_read": 0, "stored": 0, "duplicates": 0, "quarantined": 0}
    _ledger(con, feed, source_file, run, "file_quarantined", zero, 0, size, 0, fingerprint, f"{reason}: {message}",
            mtime_ns)
