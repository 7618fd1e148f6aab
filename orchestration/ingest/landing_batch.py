"""One landing batch: new lines of one or more files of a feed, parsed,
validated against the JSON Schemas by a compiled validator (validation.py),
checked and resolved by one statement (sql/resolve.sql with classify.sql
spliced in), judged by the landing suite and appended, in one transaction,
so a crash never leaves half a batch behind.

A batch gathers the lines of consecutive files up to the batch size: a batch
has fixed costs (planning the statement, the landing suite, the commit),
which small daily files would otherwise each pay. Files join a batch when they parse alike: NDJSON
files, CSV files with the same header; a Parquet file, which DuckDB reads by
path, is a batch of its own."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from orchestration.core.faults import fault_point
from orchestration.core.registry import Feed
from orchestration.core.schemas import envelope_schema
from orchestration.core.warehouse import run_script, run_sql, sql_text, transaction
from orchestration.ingest import SQL_DIR
from orchestration.ingest.file_digest import PrefixDigest
from orchestration.ingest.file_state import FileSegment, quarantine_file, record_batch
from orchestration.ingest.landing_gate import BatchVerdict, check_batch
from orchestration.ingest.reader import SCAN_CHUNK_ROWS
from orchestration.ingest.validation import validate_records

if TYPE_CHECKING:
    from orchestration.ingest.ingest_run import IngestRun


@dataclass
class LandingBatch:
    parse_params: dict[str, Any]  # the parse SQL's: a CSV file's column mapping, a Parquet file's path
    segments: list[FileSegment] = field(default_factory=list)
    lines: list[pa.Table | None] = field(default_factory=list)  # each segment's (line_no, raw); None: Parquet
    bytes: int = 0
    # a snapshot's rows and notes (snapshot_diff.py), appended in the batch's transaction
    lineage: dict[str, pa.Table] | None = None

    def add(self, segment: FileSegment, lines: pa.Table | None) -> None:
        self.segments.append(segment)
        self.lines.append(lines)
        self.bytes += segment.byte_to - segment.byte_from

    def by_file(self) -> list[LandingBatch]:
        """The batch cut into one batch a file, in order."""
        parts: dict[str, LandingBatch] = {}
        for segment, lines in zip(self.segments, self.lines, strict=True):
            parts.setdefault(segment.source_file, LandingBatch(self.parse_params)).add(segment, lines)
        return list(parts.values())

    def landing_lines(self) -> pa.Table | None:
        """The Arrow table landing_lines(line_no, raw, source_file,
        batch_row); None for a Parquet file, which DuckDB reads itself."""
        tables = [lines.append_column("source_file", pa.DictionaryArray.from_arrays(
                      pa.array(np.zeros(lines.num_rows, dtype=np.int32)), pa.array([segment.source_file])))
                  for segment, lines in zip(self.segments, self.lines, strict=True) if lines is not None]
        if not tables:
            return None
        table = pa.concat_tables(tables)
        table = table.append_column("batch_row", pa.array(np.arange(table.num_rows, dtype=np.int64)))
        # record batches of at most SCAN_CHUNK_ROWS: DuckDB scans them in parallel
        return pa.Table.from_batches(table.to_batches(max_chunksize=SCAN_CHUNK_ROWS), table.schema)


@dataclass
class BatchResult:
    counts: dict[str, dict[str, Any]]  # source file -> its records' outcomes and reasons
    verdict: BatchVerdict | None  # None when no file of the batch was left to judge
    unreadable: dict[str, str]  # source file -> why it was quarantined whole
    judged_file: str | None = None  # the file the verdict is reported with: the batch's first kept one
    split_by_file: bool = False  # rejected while spanning files: nothing written, ingest it file by file


@lru_cache(maxsize=1)
def resolve_sql() -> str:
    """resolve.sql with classify.sql spliced in."""
    return sql_text("resolve.sql", SQL_DIR).replace("{{ landing_checked }}", sql_text("classify.sql", SQL_DIR))


# the DuckDB type a valid record's envelope field is read as, by its JSON Schema type
_DUCKDB_TYPES = {"string": "VARCHAR", "integer": "INTEGER", "number": "DOUBLE", "object": "JSON", "array": "JSON",
                 "boolean": "BOOLEAN"}


@lru_cache(maxsize=1)
def envelope_structure() -> str:
    """The typed reading of a valid record for classify.sql's json_transform:
    every field of the envelope schema with the DuckDB type of its JSON type."""
    def duckdb_type(rule: dict) -> str:
        kinds = [k for k in ([rule["type"]] if isinstance(rule["type"], str) else rule["type"]) if k != "null"]
        return _DUCKDB_TYPES[kinds[0]]

    return json.dumps({name: duckdb_type(rule) for name, rule in envelope_schema()["properties"].items()})


def validate_batch(con: duckdb.DuckDBPyConnection, feed: Feed, lines: pa.Table | None) -> pa.Table:
    """The batch's records through the compiled validator: its failing rows.
    NDJSON lines go as read; CSV rows and Parquet rows as the envelope
    records their parse SQL made of them."""
    if feed.format == "ndjson" and lines is not None:
        values = lines.column("raw")
        overlong = lines.column("line_bytes")
        if overlong.null_count < len(overlong):  # an overlong line is already a bad record, cut to its first bytes
            values = pc.if_else(pc.is_null(overlong), values, None)
        return validate_records(lines.column("batch_row"), values)
    records = con.sql("SELECT batch_row, rec FROM landing_records").to_arrow_table()
    return validate_records(records.column("batch_row"), records.column("rec"))


def _unreadable_files(con: duckdb.DuckDBPyConnection, feed: Feed, batch: LandingBatch) -> dict[str, str]:
    """Files whose first lines are in the batch and of which no line is UTF-8
    or no record parses: not files of the feed's format."""
    starting = [s.source_file for s in batch.segments if s.starts_file]
    if not starting:
        return {}
    unreadable = {}
    for source, records, undecodable, unparsed in run_sql(con, sql_text("landing_readability.sql", SQL_DIR),
                                                          {"files_from_start": starting}):
        if records > 0 and undecodable == records:
            unreadable[source] = "no line of the file is UTF-8 text"
        elif records > 0 and unparsed == records:
            unreadable[source] = f"no record of the file could be read as {feed.format}"
    return unreadable


class _RejectedAcrossFiles(Exception):
    """The landing suite rejected a batch that spans files."""

    def __init__(self, verdict: BatchVerdict) -> None:
        super().__init__(verdict.label)
        self.verdict = verdict


def ingest_batch(con: duckdb.DuckDBPyConnection, feed: Feed, run: IngestRun, batch: LandingBatch) -> BatchResult:
    """Parse, check, resolve, judge and append one batch in one transaction."""
    laps = run.laps()
    # an event log's batch is lines, a tabular or snapshot feed's the records its mapping made of rows
    lines = batch.landing_lines() if feed.kind == "events" else None
    rows = pa.concat_tables(batch.lines) if feed.kind != "events" else None
    if lines is not None:
        con.register("landing_lines", lines)
    if rows is not None:
        con.register("landing_rows", rows)
    try:
        with transaction(con):
            parse = f"parse_{feed.format}.sql" if feed.kind == "events" else "parse_tabular.sql"
            run_script(con, parse, batch.parse_params, folder=SQL_DIR)
            laps.lap("read")
            con.register("landing_failures", validate_batch(con, feed, lines))
            laps.lap("validate")
            run_sql(con, resolve_sql(), {"feed_org_id": feed.org_id, "now": run.now,
                                "envelope_structure": envelope_structure()})
            run_sql(con, sql_text("conflict_detail.sql", SQL_DIR), {"feed_org_id": feed.org_id})
            unreadable = _unreadable_files(con, feed, batch)
            if unreadable:
                run_sql(con, sql_text("landing_drop_files.sql", SQL_DIR), {"files": list(unreadable)})
                for segment in batch.segments:
                    if segment.source_file in unreadable and segment.starts_file:
                        size = Path(segment.source_file).stat().st_size
                        quarantine_file(con, feed, segment.source_file, run, "unreadable_file",
                                        unreadable[segment.source_file], size,
                                        PrefixDigest(Path(segment.source_file)).up_to(size), segment.mtime_ns)
            kept = [s for s in batch.segments if s.source_file not in unreadable]
            # a rejected batch reads its records again (landing_records, over landing_lines) for their originals
            laps.lap("resolve")
            verdict = check_batch(con, feed, run.run_id) if kept else None
            laps.lap("judge")
            if verdict and verdict.rejected and len({s.source_file for s in kept}) > 1:
                raise _RejectedAcrossFiles(verdict)
            counts = record_batch(con, feed, run, kept)
            if batch.lineage is not None and kept:
                for name, table in batch.lineage.items():
                    con.register(name, table)
                run_script(con, "snapshot_record.sql", {"run_id": run.run_id, "feed_id": feed.feed_id},
                           folder=SQL_DIR)
                for name in batch.lineage:
                    con.unregister(name)
            fault_point("ingest.before_commit")
        laps.lap("append")  # the ledger, the events and the commit
    except _RejectedAcrossFiles as rejected:
        # nothing written: the caller ingests the batch file by file, so that a corrupt
        # file does not take the records of its batch-mates into quarantine with it
        return BatchResult({}, rejected.verdict, {}, split_by_file=True)
    finally:
        if lines is not None:
            con.unregister("landing_lines")
        if rows is not None:
            con.unregister("landing_rows")
        con.unregister("landing_failures")
    return BatchResult(counts, verdict, unreadable, kept[0].source_file if kept else None)
