"""Every run the Dagster instance holds, as `coopmetrics status` lists it:
its outcome, who launched it (the CLI, the UI, a schedule, a sensor, a
backfill or Dagster's own CLI), what it stored and what it did to the
models, read off the ledger and the build bookkeeping by its run id."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.core.warehouse import run_sql, sql_text

SQL = Path(__file__).parent / "sql"
RUNS_SHOWN = 10
# the tag that says who launched a run, first match wins: Dagster's own, and the one `coopmetrics` adds
LAUNCHERS = (("dagster/schedule_name", "schedule {}"), ("dagster/sensor_name", "sensor {}"),
             ("dagster/backfill", "backfill {}"), ("coopmetrics/launched_by", "{}"), ("dagster/from_ui", "the UI"))
LAUNCHED_BY_TAG = "coopmetrics/launched_by"
OUTCOMES = {"SUCCESS": "succeeded", "FAILURE": "failed", "CANCELED": "cancelled", "CANCELING": "cancelling",
            "STARTED": "running", "STARTING": "starting", "QUEUED": "queued", "NOT_STARTED": "not started"}


def launched_by(tags: Mapping[str, str]) -> str:
    for tag, shown in LAUNCHERS:
        if tag in tags:
            return shown.format(tags[tag])
    return "dagster CLI or API"


def what_it_did(stored: int | None, whole: bool | None, finished: bool | None) -> str:
    """A run's work in words: what it stored, and which models it built (none, the clock's, all)."""
    ingest = "nothing stored" if stored is None else f"stored {stored:,}"
    if whole is None:
        models = "no model built"
    elif not finished:
        models = "its build of the models did not finish"
    else:
        models = "every model built" if whole else ("nothing new: the models that move with the clock"
                                                    if not stored else "part of the models built")
    return f"{ingest}; {models}"


def run_history(con: duckdb.DuckDBPyConnection, home: Path, has_builds: bool) -> tuple[list[str], list[tuple]]:
    """The latest runs of the instance at `home`, newest first, as a table's columns and rows."""
    from dagster import DagsterInstance

    instance = DagsterInstance.from_config(str(home))
    records = instance.get_run_records(limit=RUNS_SHOWN)
    ids = [record.dagster_run.run_id for record in records]
    stored = {run_id: n for run_id, n in run_sql(con, sql_text("status_run_stored.sql", SQL), {"run_ids": ids})}
    built = {run_id: (whole, finished) for run_id, whole, finished in (
        run_sql(con, sql_text("status_run_built.sql", SQL), {"run_ids": ids}) if has_builds else [])}
    rows = []
    for record in records:
        run = record.dagster_run
        whole, finished = built.get(run.run_id, (None, None))
        started = record.start_time or record.create_timestamp.timestamp()
        rows.append((run.run_id[:8], datetime.fromtimestamp(started, UTC).strftime("%Y-%m-%d %H:%M:%S"),
                     OUTCOMES.get(run.status.value, run.status.value.lower()), launched_by(run.tags),
                     what_it_did(stored.get(run.run_id), whole, finished)))
    return ["run", "started (UTC)", "outcome", "launched by", "what it did"], rows
