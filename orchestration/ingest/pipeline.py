"""Ingest one feed: every file of the feed, batch by batch, through the SQL
of sql/ (parse -> classify -> resolve -> landing suite -> append), one
transaction a batch so a crash never leaves a half-written batch."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from orchestration.ingest.file_state import FileState, previous_state, quarantine_file, record_batch
from orchestration.ingest.landing_gate import BatchVerdict, check_batch
from orchestration.ingest.payload_rules import CompiledRules, compile_payload_rules
from orchestration.ingest.reader import DEFAULT_CHUNK_BYTES, first_line, prefix_fingerprint, read_line_batches
from orchestration.ingest.registry import Feed
from orchestration.ingest.schemas import load_event_schemas
from orchestration.ingest.store import run_script, run_sql, sql_text


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
    landing: list[BatchVerdict] = field(default_factory=list)  # the landing suite's verdict on each batch

    def add(self, counts: dict[str, Any]) -> None:
        self.records_read += counts["records_read"]
        self.stored += counts["stored"]
        self.duplicates += counts["duplicates"]
        self.quarantined += counts["quarantined"]
        for reason, n in counts["reasons"].items():
            self.reasons[reason] = self.reasons.get(reason, 0) + n


@dataclass(frozen=True)
class IngestRun:
    run_id: str
    now: datetime  # ingestion instant, naive UTC: every event of the run gets it as ingested_at
    chunk_bytes: int = DEFAULT_CHUNK_BYTES

    @staticmethod
    def utc_now() -> datetime:
        return datetime.now(UTC).replace(tzinfo=None)


class WrongFormat(Exception):
    """The whole file cannot be read as the feed's format."""


@lru_cache(maxsize=1)
def _rules() -> CompiledRules:
    return compile_payload_rules(load_event_schemas())


@lru_cache(maxsize=4)
def _resolve_sql(rules: CompiledRules) -> str:
    """resolve.sql with classify.sql and the compiled payload rules spliced in."""
    classify = (sql_text("classify.sql").replace("{{ payload_violation }}", rules.sql)
                .replace("{{ payload_types }}", rules.payload_types)
                .replace("{{ payload_values }}", rules.payload_values)
                .replace("{{ payload_keys }}", rules.payload_keys))
    return sql_text("resolve.sql").replace("{{ landing_checked }}", classify)


def _classify_params(feed: Feed, run: IngestRun, rules: CompiledRules) -> dict[str, Any]:
    schemas = load_event_schemas()
    return {
        **rules.params,
        "feed_org_id": feed.org_id,
        "now": run.now,
        "event_types": sorted({t for t, _ in schemas}),
        "type_versions": [f"{t}/{v}" for t, v in sorted(schemas)],
    }


def _csv_params(feed: Feed, path: Path) -> dict[str, Any]:
    options = feed.csv
    assert options is not None
    try:
        header_text = first_line(path).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WrongFormat("the CSV header is not UTF-8") from exc
    header = next(csv.reader(io.StringIO(header_text), delimiter=options.delimiter), [])
    header = [name.strip() for name in header]
    missing = [col for col in options.columns.values() if col not in header]
    if missing:
        raise WrongFormat(f"the CSV header lacks mapped column(s) {', '.join(missing)}")
    delim = options.delimiter
    escaped = "\\" + delim if not delim.isalnum() else delim
    params: dict[str, Any] = {
        "delimiter": delim,
        # one field and its delimiter: quoted (blanks around it allowed) or bare
        "field_pattern": f'( *"(?:[^"]|"")*" *|[^{escaped}"]*){escaped}',
        "column_count": len(header),
        "feed_org_id": feed.org_id,
        "timezone": options.timezone,
        "label_from": list(options.event_type_labels) or [""],
        "label_to": list(options.event_type_labels.values()) or [""],
    }
    for envelope_field in ("event_id", "org_id", "event_type", "schema_version", "occurred_at", "actor_ref", "payload"):
        column = options.columns.get(envelope_field)
        params[f"i_{envelope_field}"] = header.index(column) + 1 if column else None
    return params


def _process_batch(con: duckdb.DuckDBPyConnection, feed: Feed, parse_params: dict[str, Any],
                   classify_params: dict[str, Any], rules: CompiledRules,
                   lines: pa.Table | None, first_batch: bool) -> None:
    """landing_lines (or the Parquet file) -> landing_outcome. The parsed
    records are the view landing_records (over the lines for NDJSON, over a
    parsed temp table for CSV and Parquet), read by the one statement of
    resolve.sql with classify.sql spliced in."""
    if lines is not None:
        con.register("landing_lines", lines)
    try:
        run_script(con, f"parse_{feed.format}.sql", parse_params)
        run_sql(con, _resolve_sql(rules), classify_params)
    finally:
        if lines is not None:
            con.unregister("landing_lines")
    if first_batch:
        total, undecodable, unparsed = run_sql(con, sql_text("landing_readability.sql"))[0]
        if total > 0 and undecodable == total:
            raise WrongFormat("no line of the file is UTF-8 text")
        if total > 0 and unparsed == total:
            raise WrongFormat(f"no record of the file could be read as {feed.format}")


def _batches(feed: Feed, path: Path, start: FileState, run: IngestRun) -> Iterator[tuple[pa.Table | None, int, int]]:
    if feed.format == "parquet":  # Parquet is never appended to: a changed file is read again whole
        yield None, path.stat().st_size, 0
        return
    for batch in read_line_batches(path, start.byte_offset, start.last_line, run.chunk_bytes):
        lines = batch.lines
        if feed.format == "csv":  # line 1 is the header
            lines = lines.filter(pc.greater(lines.column("line_no"), 1))
        yield lines, batch.byte_end, batch.last_line


def ingest_file(con: duckdb.DuckDBPyConnection, feed: Feed, path: Path, run: IngestRun,
                rules: CompiledRules | None = None) -> FileOutcome:
    """Ingest what is new in one file; the outcome's counts conserve
    records_read = stored + duplicates + quarantined."""
    rules = rules or _rules()
    source = str(path)
    size = path.stat().st_size
    state = previous_state(con, source)
    if state and size == state.byte_offset and prefix_fingerprint(path, size) == state.fingerprint:
        return FileOutcome(source, "skipped")
    appended = (state is not None and state.status == "ingested" and feed.format != "parquet"
                and size > state.byte_offset and prefix_fingerprint(path, state.byte_offset) == state.fingerprint)
    start = state if appended and state else FileState(0, 0, None)
    outcome = FileOutcome(source, "ingested")
    try:
        if size == 0:
            raise WrongFormat("the file is empty")
        parse_params: dict[str, Any] = {"path": source}
        if feed.format == "csv":
            parse_params.update(_csv_params(feed, path))
        classify_params = _classify_params(feed, run, rules)
        first = start.byte_offset == 0
        for lines, byte_end, last_line in _batches(feed, path, start, run):
            con.begin()
            try:
                _process_batch(con, feed, parse_params, classify_params, rules, lines, first)
                outcome.landing.append(check_batch(con, feed, source))
                counts = record_batch(con, feed, source, run, start.byte_offset, byte_end, last_line,
                                      prefix_fingerprint(path, byte_end))
                con.commit()
            except BaseException:
                con.rollback()
                raise
            first, start = False, FileState(byte_end, last_line, None)
            outcome.add(counts)
    except WrongFormat as exc:
        return _quarantined_file(con, feed, path, run, str(exc))
    except duckdb.Error as exc:
        if feed.format != "parquet" or outcome.records_read:
            raise
        return _quarantined_file(con, feed, path, run, f"not a readable Parquet file ({exc})")
    return outcome


def _quarantined_file(con: duckdb.DuckDBPyConnection, feed: Feed, path: Path, run: IngestRun,
                      message: str) -> FileOutcome:
    size = path.stat().st_size
    reason = "empty_file" if size == 0 else "unreadable_file"
    quarantine_file(con, feed, str(path), run, reason, message, size, prefix_fingerprint(path, size))
    return FileOutcome(str(path), "file_quarantined", message=f"{reason}: {message}")
