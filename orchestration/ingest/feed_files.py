"""Ingest one feed: what is new in each of its files, gathered into landing
batches (landing_batch.py: parse -> classify -> resolve -> landing suite ->
append, one transaction a batch). Files unchanged since the last run are
skipped, grown ones read from where it stopped, unreadable ones quarantined
whole while the run goes on."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from orchestration.core.faults import fault_point
from orchestration.core.registry import Feed
from orchestration.core.warehouse import transaction
from orchestration.ingest.file_checks import WrongFormat, check_parquet_columns, csv_params
from orchestration.ingest.file_digest import PrefixDigest, os_error_text, unreadable_mark
from orchestration.ingest.file_state import FileSegment, FileState, previous_states, quarantine_file
from orchestration.ingest.ingest_run import IngestRun
from orchestration.ingest.landing_batch import LandingBatch, ingest_batch
from orchestration.ingest.landing_gate import BatchVerdict
from orchestration.ingest.reader import read_line_batches
from orchestration.ingest.sheet_rows import SheetTrouble
from orchestration.ingest.snapshots import file_tables, snapshot_order


@dataclass
class FileOutcome:
    source_file: str
    status: str  # ingested | skipped | file_quarantined
    records_read: int = 0
    stored: int = 0
    duplicates: int = 0
    quarantined: int = 0
    message: str | None = None
    reasons: dict[str, int] = field(default_factory=dict)
    # the landing suite's verdicts on the batches whose first kept lines are this file's
    # (a batch may go on into the next files of the feed)
    landing: list[BatchVerdict] = field(default_factory=list)

    def add(self, counts: dict[str, Any]) -> None:
        self.records_read += counts["records_read"]
        self.stored += counts["stored"]
        self.duplicates += counts["duplicates"]
        self.quarantined += counts["quarantined"]
        for reason, n in counts["reasons"].items():
            self.reasons[reason] = self.reasons.get(reason, 0) + n


def _settled(feed: Feed, path: Path) -> bool:
    """A file whose last line may be read without its newline: declared
    complete by the registry, or unchanged for the feed's settle time."""
    return feed.complete or time.time() - path.stat().st_mtime >= feed.settle_after.total_seconds()


def _batches(feed: Feed, path: Path, start: FileState, run: IngestRun) -> Iterator[tuple[pa.Table | None, int, int]]:
    if feed.format == "parquet":  # Parquet is never appended to: DuckDB reads the whole file by path
        yield None, path.stat().st_size, 0
        return
    for batch in read_line_batches(path, start.byte_offset, start.last_line, run.chunk_bytes,
                                   feed.max_line_bytes, complete=_settled(feed, path)):
        lines = batch.lines
        if feed.format == "csv":  # line 1 is the header
            lines = lines.filter(pc.greater(lines.column("line_no"), 1))
        yield lines, batch.byte_end, batch.last_line


class _FeedIngest:
    """The files of one feed in one run, and the batch being filled."""

    def __init__(self, con: duckdb.DuckDBPyConnection, feed: Feed, run: IngestRun) -> None:
        self.con, self.feed, self.run = con, feed, run
        self.outcomes: dict[str, FileOutcome] = {}
        self.pending = LandingBatch({})
        self.states = previous_states(con, feed)

    def flush(self) -> None:
        # the next batch parses alike: the rest of a large file goes on in it
        batch, self.pending = self.pending, LandingBatch(self.pending.parse_params)
        if not batch.segments:
            return
        try:
            result = ingest_batch(self.con, self.feed, self.run, batch)
        except duckdb.Error as exc:
            if self.feed.format != "parquet":  # a Parquet batch is one file, and DuckDB could not read it
                raise
            segment = batch.segments[0]
            self.quarantine(Path(segment.source_file), f"not a readable Parquet file ({exc})", None, segment.byte_to,
                            segment.fingerprint, segment.mtime_ns)
            return
        if result.split_by_file:
            for part in batch.by_file():
                self.pending = part
                self.flush()
            return
        fault_point("ingest.after_commit")
        for source, counts in result.counts.items():
            self.outcomes[source].add(counts)
        if result.verdict and result.judged_file:
            self.outcomes[result.judged_file].landing.append(result.verdict)
        for source, message in result.unreadable.items():
            self.outcomes[source] = FileOutcome(source, "file_quarantined", message=f"unreadable_file: {message}")

    def quarantine(self, path: Path, message: str, reason: str | None = None, size: int = 0,
                   fingerprint: str | None = None, mtime_ns: int | None = None) -> None:
        reason = reason or ("empty_file" if size == 0 else "unreadable_file")
        if fingerprint is None:
            fingerprint = PrefixDigest(path).up_to(size)
        with transaction(self.con):
            quarantine_file(self.con, self.feed, str(path), self.run, reason, message, size, fingerprint, mtime_ns)
        self.outcomes[str(path)] = FileOutcome(str(path), "file_quarantined", message=f"{reason}: {message}")

    def quarantine_unreadable(self, path: Path, message: str) -> None:
        """A path that cannot be read as a file, quarantined whole once: while it stays as it is (the same
        error), later runs skip it; its size is recorded as -1, so it is read once it can be."""
        mark = unreadable_mark(message)
        state = self.states.get(str(path))
        if state is not None and state.fingerprint == mark:
            self.outcomes[str(path)] = FileOutcome(str(path), "skipped", message=f"unreadable_file: {message}")
            return
        self.quarantine(path, message, "unreadable_file", -1, mark)

    def add_file(self, path: Path) -> None:
        """Queue what is new in the file, flushing full batches on the way."""
        source = str(path)
        try:
            info = path.stat()
            with path.open("rb"):  # a file this run may not read is that file's trouble alone
                pass
        except OSError as exc:
            self.quarantine_unreadable(path, f"cannot be read: {os_error_text(exc)}")
            return
        size, mtime = info.st_size, info.st_mtime_ns
        state = self.states.get(source)
        if state and size == state.byte_offset and mtime == state.mtime_ns:  # untouched since it was read
            self.outcomes[source] = FileOutcome(source, "skipped")
            return
        digest = PrefixDigest(path)
        same = (state is not None and 0 <= state.byte_offset <= size
                and digest.same_prefix(state.byte_offset, state.fingerprint))
        if state and size == state.byte_offset and same:  # touched, its bytes as they were
            self.outcomes[source] = FileOutcome(source, "skipped")
            return
        if self.feed.kind != "events":
            self.add_rows(path, size, mtime, digest, state)
            return
        appended = (state is not None and state.status == "ingested" and self.feed.format != "parquet"
                    and size > state.byte_offset and same)
        start = state if appended and state else FileState(0, 0, None)
        try:
            if state is not None and state.status == "ingested" and self.feed.format == "parquet":
                raise WrongFormat(
                    f"the Parquet file changed after it was ingested ({state.byte_offset} bytes then, {size} now): "
                    "a Parquet delivery is never rewritten or grown; deliver the new rows as a new file",
                    "rewritten_file")
            if size == 0:
                raise WrongFormat("the file is empty")
            parse_params: dict[str, Any] = {"path": source}
            if self.feed.format == "csv":
                parse_params.update(csv_params(self.feed, path))
            if self.feed.format == "parquet":
                check_parquet_columns(path)
        except WrongFormat as exc:
            self.quarantine(path, str(exc), exc.reason, size, digest.up_to(size), mtime)
            return
        self.outcomes[source] = FileOutcome(source, "ingested")
        # a batch spans files that parse alike (NDJSON; CSV with the same header; never Parquet,
        # which DuckDB reads by path)
        if self.feed.format == "parquet" or _parse_key(parse_params) != _parse_key(self.pending.parse_params):
            self.flush()
        self.pending.parse_params = parse_params
        segments = _batches(self.feed, path, start, self.run)
        while True:
            # flush before reading a segment (up to chunk_bytes) that would not fit: a batch stays within
            # chunk_bytes, and no more than one batch of lines is held at a time
            next_segment = min(size - start.byte_offset, self.run.chunk_bytes)
            if self.pending.segments and self.pending.bytes + next_segment > self.run.chunk_bytes:
                self.flush()
            if self.outcomes[source].status == "file_quarantined":  # judged unreadable in a flushed batch
                return
            laps = self.run.laps()
            item = next(segments, None)
            laps.lap("read")
            if item is None:
                break
            lines, byte_end, last_line = item
            if byte_end == start.byte_offset:  # nothing consumed: only an unterminated line waits
                break
            self.pending.add(FileSegment(source, start.byte_offset, byte_end, last_line,
                                         digest.up_to(byte_end), start.byte_offset == 0, mtime), lines)
            start = FileState(byte_end, last_line, None)
            if self.feed.format == "parquet":
                self.flush()
        if start.byte_offset < size and self.feed.format != "parquet":
            self.outcomes[source].message = (f"{size - start.byte_offset} byte(s) of an unterminated last line "
                                             "wait for their newline (or for the file to settle)")


    def add_rows(self, path: Path, size: int, mtime: int, digest: PrefixDigest, state: FileState | None) -> None:
        """A tabular or snapshot feed's file, read whole once it is settled (an office suite rewrites a
        workbook on every save): batch by batch, the last one recording where the file was left."""
        source = str(path)
        if not _settled(self.feed, path):
            self.outcomes[source] = FileOutcome(source, "skipped", message="waits until it is unchanged for "
                                                f"{self.feed.settle_after} (a workbook is read once it is saved)")
            return
        self.flush()
        try:
            tables = file_tables(self.con, self.feed, path, self.run)
        except SheetTrouble as exc:
            self.quarantine(path, str(exc), exc.reason, size, digest.up_to(size), mtime)
            return
        self.outcomes[source] = FileOutcome(source, "ingested")
        if state is not None and state.status == "ingested":
            self.outcomes[source].message = (f"read again whole ({state.byte_offset} bytes then, {size} now): "
                                             "rows seen before count as duplicates")
        for n, (table, last_row, last, lineage) in enumerate(tables):
            end = size if last else 0  # until its last batch is in, the file reads as not yet read
            self.pending.add(FileSegment(source, 0, end, last_row, digest.up_to(end), n == 0, mtime), table)
            self.pending.lineage = lineage
            self.flush()


def _parse_key(parse_params: dict[str, Any]) -> dict[str, Any]:
    """What the parse SQL of a batch depends on, beyond the file's path."""
    return {k: v for k, v in parse_params.items() if k != "path"}


def ingest_files(con: duckdb.DuckDBPyConnection, feed: Feed, paths: list[Path], run: IngestRun,
                 unreadable: dict[Path, str] | None = None) -> list[FileOutcome]:
    """Ingest what is new in the feed's files, and quarantine whole the paths
    that cannot be read as files (`unreadable`, with why); each file's
    outcome conserves records_read = stored + duplicates + quarantined."""
    feed_ingest = _FeedIngest(con, feed, run)
    if feed.kind == "snapshot":  # applied in snapshot-time order; a file whose time cannot be read goes last
        paths = sorted(paths, key=lambda p: (snapshot_order(feed, p), p.name))
    for path, why in (unreadable or {}).items():
        feed_ingest.quarantine_unreadable(path, why)
    for path in paths:
        feed_ingest.add_file(path)
    feed_ingest.flush()
    return [feed_ingest.outcomes[str(path)] for path in [*(unreadable or {}), *paths]]
