"""One line per stage of a CLI run, with its figures, instead of Dagster's
and dbt's own logs (those come with `--verbose`).

A Dagster logger: it sees every event of the run, counts per step what the
step materialised and which checks passed or failed, and prints one line
when the step ends, e.g.

    ingest        296 stored, 6 duplicates, 60 quarantined from 10 files (2 checks passed)   3.1 s
    dbt models    29 models, 66 tests passed                                                  11.8 s
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections import defaultdict

from dagster import DagsterEventType, logger

from orchestration.core.asset_keys import KEPT_METADATA, RESTATED_METADATA
from orchestration.core.settings import STAGE_LOG_ENV

STAGE_NAMES = {"ingest_feeds": "ingest", "dbt_models": "dbt models",
               "partner_extracts": "extracts", "event_store_suite": "event-store suite",
               "marts_suites": "marts suites", "report__consortium": "report",
               "report__social": "social report",
               "lake__events": "lake export", "published__catalog": "readers' catalog"}


class _StageLines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.stream = sys.stdout  # as it is when the run starts: dbt's echo is silenced around its reads
        self.started: dict[str, float] = {}
        self.assets: dict[str, list] = defaultdict(list)
        self.checks: dict[str, list[bool | None]] = defaultdict(list)  # None: a verdict restated
        self.check_names: dict[str, str] = {}

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event, step = meta.get("dagster_event"), meta.get("step_key")
        if event is None or step is None:
            return
        kind = event.event_type
        if kind == DagsterEventType.STEP_START:
            self.started[step] = time.monotonic()
        elif kind == DagsterEventType.ASSET_MATERIALIZATION:
            self.assets[step].append(event.event_specific_data.materialization)
        elif kind == DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            self.checks[step].append(None if RESTATED_METADATA in evaluation.metadata and evaluation.passed
                                     else evaluation.passed)
            self.check_names[step] = event.event_specific_data.check_name
        elif kind in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE, DagsterEventType.STEP_SKIPPED):
            self._line(step, kind)

    def _figures(self, step: str) -> str:
        materialised = self.assets.pop(step, [])
        checks = self.checks.pop(step, [])
        parts = []
        # a run of several feed partitions materialises the event store once a partition, alike
        for item in [m for m in materialised if m.asset_key.path == ["raw", "events"]][:1]:
            meta = {k: v.value for k, v in item.metadata.items()}
            parts.append(f"{meta.get('stored', 0)} stored, {meta.get('duplicates', 0)} duplicates, "
                         f"{meta.get('quarantined', 0)} quarantined from {meta.get('files_read', 0)} new file(s)")
        kinds = defaultdict(int)
        kept = [m for m in materialised if KEPT_METADATA in m.metadata]
        for item in materialised:
            if item.asset_key.path[0] != "raw" and KEPT_METADATA not in item.metadata:
                kinds[item.asset_key.path[0]] += 1
        parts += [f"{n} {prefix}" for prefix, n in sorted(kinds.items())] + ([f"{len(kept)} kept"] if kept else [])
        if checks:
            failed, restated = checks.count(False), checks.count(None)
            passed = len(checks) - failed - restated
            said = [f"{passed} passed"] * bool(passed or not restated) + [f"{failed} FAILED"] * bool(failed) + [
                f"{restated} restated"] * bool(restated)
            parts.append(f"{len(checks)} check{'s' * (len(checks) != 1)}: " + ", ".join(said)
                         if failed or restated else f"{passed} check{'s' * (passed != 1)} passed")
        return ", ".join(parts)

    def _line(self, step: str, kind: DagsterEventType) -> None:
        seconds = time.monotonic() - self.started.pop(step, time.monotonic())
        # a check in a step of its own (a reconciliation, freshness) is named by the check
        name = STAGE_NAMES.get(step) or self.check_names.pop(step, step).replace("_", " ")
        status = {DagsterEventType.STEP_FAILURE: "FAILED ", DagsterEventType.STEP_SKIPPED: "skipped "}.get(kind, "")
        rows = self._ingest_rows(step)
        figures = self._figures(step)
        print(f"  {name:<24} {status}{figures:<74} {seconds:6.1f} s", file=self.stream, flush=True)
        if os.environ.get(STAGE_LOG_ENV):
            with open(os.environ[STAGE_LOG_ENV], "a", encoding="utf-8") as log:
                log.write(json.dumps({"stage": name, "status": status.strip() or "ok", "seconds": seconds,
                                      "ended_at": time.time(), "figures": figures, **rows}) + "\n")

    def _ingest_rows(self, step: str) -> dict[str, int]:
        """Records in and out of the step's event-store materialisation (one a partition, alike)."""
        for item in [m for m in self.assets.get(step, []) if m.asset_key.path == ["raw", "events"]][:1]:
            meta = {k: v.value for k, v in item.metadata.items()}
            rows = {name: int(meta.get(name) or 0) for name in ("stored", "duplicates", "quarantined")}
            return {**rows, "rows_in": sum(rows.values()), "rows_out": rows["stored"] + rows["quarantined"]}
        return {}


@logger(description="One line per stage with its figures (coopmetrics run without --verbose).")
def stage_lines(init_context) -> logging.Logger:  # noqa: ANN001 - Dagster's signature
    log = logging.Logger("coopmetrics_progress", level=logging.DEBUG)
    log.addHandler(_StageLines())
    return log
