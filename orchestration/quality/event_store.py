"""The event-store suite as a blocking asset check on raw/events.

It validates what was appended since it last passed (whoever wrote it), in
batches of batch_rows() (COOPMETRICS_CHECK_BATCH_ROWS), so memory stays bounded however large the store is;
an ERROR failure stops every asset downstream in the run."""


import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
from dagster import AssetCheckExecutionContext, AssetCheckResult, AssetCheckSeverity, MetadataValue, asset_check

from expectations.event_store import KEY_COLUMNS, event_store_expectations
from expectations.validate import SuiteOutcome, validate_frame
from orchestration.core.asset_keys import EVENTS_KEY
from orchestration.core.check_results import ensure_quality_schema, record_check, record_validations
from orchestration.core.faults import fault_point
from orchestration.core.registry import load_registry
from orchestration.core.resources import Warehouse
from orchestration.core.warehouse import run_sql, sql_text

QUALITY_SQL = Path(__file__).parent / "sql"
CHECK_NAME = "event_store_suite"
BATCH_ROWS_ENV = "COOPMETRICS_CHECK_BATCH_ROWS"
DEFAULT_BATCH_ROWS = 200_000  # bounds the pandas frame GX validates at a time


def batch_rows() -> int:
    return int(os.environ.get(BATCH_ROWS_ENV, DEFAULT_BATCH_ROWS))


def bounded_tables(reader: pa.RecordBatchReader, rows: int) -> Iterator[pa.Table]:
    """The reader's record batches regrouped into tables of at most `rows`
    rows: DuckDB hands out batches of its own size (2,048 rows or so),
    whatever size was asked for, and a GX validation a record batch would
    cost a validation's fixed price thousands of times."""
    pending: list[pa.RecordBatch] = []
    held = 0
    for batch in reader:
        offset = 0
        while offset < batch.num_rows:
            part = batch.slice(offset, rows - held)
            pending.append(part)
            held += part.num_rows
            offset += part.num_rows
            if held == rows:
                yield pa.Table.from_batches(pending, reader.schema)
                pending, held = [], 0
    if pending:
        yield pa.Table.from_batches(pending, reader.schema)


def validate_batches(con: duckdb.DuckDBPyConnection, reader: pa.RecordBatchReader, suite: str, table: str,
                     expectations: list, keys: list[str],
                     watermark: str | None) -> tuple[list[SuiteOutcome], int | None]:
    """Validate what the reader yields, one bounded batch (batch_rows()) at a
    time. With a watermark name, returns the highest event_seq seen and moves
    the watermark there, but only when no batch had an ERROR failure."""
    outcomes: list[SuiteOutcome] = []
    high: int | None = None
    for chunk in bounded_tables(reader, batch_rows()):
        frame = chunk.to_pandas()
        outcomes.append(validate_frame(suite, table, frame, expectations, keys))
        if watermark and len(frame):
            high = max(high or 0, int(frame["event_seq"].max()))
    if watermark and high is not None and not any(o.errors for o in outcomes):
        run_sql(con, sql_text("advance_watermark.sql", QUALITY_SQL),
                {"check_name": watermark, "validated_through": high})
    return outcomes, high


def validate_new_events(warehouse: Warehouse) -> tuple[list[SuiteOutcome], int | None]:
    """Validate the events appended since the last pass; returns the outcomes
    and the highest event_seq validated."""
    expectations = event_store_expectations(load_registry().org_ids)
    con = warehouse.connect()
    try:
        ensure_quality_schema(con)
        reader = con.execute(sql_text("event_store_batch.sql", QUALITY_SQL),
                             {"check_name": CHECK_NAME}).to_arrow_reader(batch_rows())
        return validate_batches(con, reader, CHECK_NAME, "raw.events", expectations, KEY_COLUMNS, CHECK_NAME)
    finally:
        con.close()


@asset_check(asset=EVENTS_KEY, name=CHECK_NAME, blocking=True,
             description="great-expectations suite (expectations/event_store.py) over every event appended "
                         "since it last passed; ERROR blocks the marts.")
def event_store_suite(context: AssetCheckExecutionContext, warehouse: Warehouse) -> AssetCheckResult:
    fault_point("event_store_suite")
    outcomes, high = validate_new_events(warehouse)
    errors = [f for o in outcomes for f in o.errors]
    warnings = [f for o in outcomes for f in o.warnings]
    rows = sum(o.rows for o in outcomes)
    failures = errors + warnings
    description = ("; ".join(f.describe("raw.events") for f in failures) if failures
                   else f"{rows} new event(s) passed the event-store suite")
    result = AssetCheckResult(
        passed=not failures,
        severity=AssetCheckSeverity.ERROR if errors else AssetCheckSeverity.WARN,
        description=description[:2000],
        metadata={
            "rows_validated": rows,
            "validated_through_event_seq": high if high is not None else -1,
            "failures": MetadataValue.json([
                {"column": f.column, "expectation": f.expectation, "severity": f.severity,
                 "unexpected_count": f.unexpected_count, "sample_keys": f.sample_keys} for f in failures
            ]),
        },
    )
    con = warehouse.connect()
    try:
        record_check(con, context.run.run_id, EVENTS_KEY.path, CHECK_NAME, result,
                     float(sum(f.unexpected_count for f in failures)))
        record_validations(con, context.run.run_id, "event_store", EVENTS_KEY.path,
                           [(f"raw.events batch {n + 1}", o) for n, o in enumerate(outcomes)])
    finally:
        con.close()
    return result
