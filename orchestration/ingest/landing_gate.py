"""The landing-batch suite (expectations/landing.py) between resolve and
append: a batch that fails it is not appended, its records are quarantined
as `batch_rejected`, and the outcome reaches the ingest asset's blocking
check `landing_batch_suite`.

The frame is the batch's profile (sql/landing_profile.sql): its distinct
values, characters and lengths, about 70 rows whatever the batch's size. Its
rules are judged here in plain Python (expectations/profile_rules.py): GX is
not loaded on the ingest path. The profile, the rules and the verdict are
kept in the batch's transaction; GX validates that profile afterwards, in the
event-store suite's step, for the Data Docs (quality/landing_docs.py)."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import PurePath

import duckdb
import pyarrow as pa

from expectations.landing import KEY_COLUMNS, MIN_RECORDS_FOR_SHARE, landing_rules
from expectations.profile_rules import judge
from expectations.validate import SuiteOutcome
from orchestration.core.registry import Feed
from orchestration.core.warehouse import run_sql, sql_text
from orchestration.ingest import SQL_DIR

SUITE = "landing_batch"


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


def _ipc(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def check_batch(con: duckdb.DuckDBPyConnection, feed: Feed, run_id: str) -> BatchVerdict:
    """Judge landing_outcome's profile; keep the profile, the rules and the verdict for GX; on an ERROR
    failure, turn the batch into quarantine rows before anything is appended."""
    label = batch_label(run_sql(con, sql_text("landing_extent.sql", SQL_DIR)))
    profile = con.sql(sql_text("landing_profile.sql", SQL_DIR),
                      params={"min_records_for_share": MIN_RECORDS_FOR_SHARE}).to_arrow_table()
    suite, rules = f"{SUITE}.{feed.org_id}", landing_rules(feed)
    outcome = judge(suite, label, profile.to_pylist(), rules, KEY_COLUMNS)
    run_sql(con, sql_text("keep_landing_profile.sql", SQL_DIR), {
        "run_id": run_id, "suite": suite, "batch_label": label, "profile": _ipc(profile),
        "rules": json.dumps([dataclasses.asdict(rule) for rule in rules]),
        "failures": json.dumps([f.describe(label) for f in outcome.failures])})
    if outcome.errors:
        message = "the landing suite rejected its batch: " + "; ".join(
            f.describe(label) for f in outcome.errors)
        run_sql(con, sql_text("reject_batch.sql", SQL_DIR), {"message": message[:2000]})
    return BatchVerdict(label, outcome)
