"""Run the whole pipeline in-process (one DuckDB writer) and summarise it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from dagster import AssetCheckSeverity, AssetKey, DagsterInstance, JobDefinition

from orchestration.automation.jobs import PIPELINE_JOB
from orchestration.automation.schedules import all_feeds_tags
from orchestration.core.asset_keys import EVENTS_KEY, KEPT_METADATA, RESTATED_METADATA
from orchestration.core.locking import reader_lock
from orchestration.core.resources import Warehouse
from orchestration.core.settings import (
    dagster_home,
    extracts_dir,
    published_catalog,
    report_path,
    social_report_dir,
    warehouse_path,
)
from orchestration.core.warehouse import connect
from orchestration.quality.run_history import LAUNCHED_BY_TAG
from orchestration.transform.builds import touched_keys_plan


@dataclass
class PipelineResult:
    success: bool
    metadata: dict[str, dict] = field(default_factory=dict)
    materialized: list[str] = field(default_factory=list)
    checks_passed: int = 0
    checks_restated: int = 0  # verdicts of kept models that stand, said again
    checks_failed: list[str] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    data_docs: str | None = None  # index.html of the GX Data Docs, or why they were not rendered
    plan: str | None = None  # why some models were not rebuilt, when they were not

    @property
    def feeds_failed(self) -> dict[str, str]:
        """org_id -> why: feeds not (wholly) ingested while the others and the marts went on."""
        return self.metadata.get("raw/events", {}).get("feeds_failed") or {}

    @property
    def ok(self) -> bool:
        return self.success and not self.feeds_failed


def render_data_docs(warehouse: Path) -> str:
    """The GX Data Docs of the latest runs (a failing run's most of all);
    a rendering error is reported in the summary, never hidden."""
    from orchestration.quality.data_docs import build_data_docs

    try:
        with reader_lock(warehouse):  # the run is over: only another run's start can hold it
            index = build_data_docs(Warehouse(path=str(warehouse)))
    except Exception as exc:  # noqa: BLE001 - the run's own outcome must still be reported
        return f"not rendered: {type(exc).__name__}: {exc}"
    return str(index) if index else "not rendered: no validation recorded yet"


def run_pipeline(as_of: str | None = None, feeds: list[str] | None = None, full_refresh: bool = False,
                 asset_selection: list[AssetKey] | None = None, instance: DagsterInstance | None = None,
                 warehouse: Path | None = None, verbose: bool = False) -> PipelineResult:
    """Execute the pipeline job in this process, once; Dagster's own run
    storage records it when DAGSTER_HOME is set (so `make dev` shows CLI
    runs). What it rebuilds is decided inside the run, by the dbt steps
    (transform/kept.py), as for a run the UI, a schedule or a sensor
    launches: the CLI only launches it and summarises what it did."""
    from orchestration.definitions import build_definitions

    defs = build_definitions()  # from the registry in force now (partners are assets)
    if instance is None:  # the instance the UI reads: CLI runs are in its history too
        instance = DagsterInstance.from_config(str(dagster_home()))
    job = defs.resolve_job_def(PIPELINE_JOB)
    warehouse = warehouse or warehouse_path()
    summary = _Steps(job, instance, as_of, feeds, full_refresh, warehouse, verbose).execute(asset_selection)
    if summary.success and summary.plan is None:
        summary.plan = _read_builds(warehouse, touched_keys_plan)
    summary.data_docs = render_data_docs(warehouse)
    return summary


def _read_builds(warehouse: Path, read: Callable[[duckdb.DuckDBPyConnection], str | None]) -> str | None:
    with reader_lock(warehouse), contextlib.closing(connect(warehouse, read_only=True)) as con:
        return read(con)


DBT_LAYERS = ("staging", "intermediate", "marts")  # the dbt step's assets, keyed by their schema


@dataclass
class _Steps:
    """One in-process run of the pipeline job on a selection of its assets."""
    job: JobDefinition
    instance: DagsterInstance
    as_of: str | None
    feeds: list[str] | None
    full_refresh: bool
    warehouse: Path
    verbose: bool

    def run_config(self, selection: list[AssetKey] | None) -> dict:
        ops: dict = {}
        if selection is None or EVENTS_KEY in selection:
            ops["ingest_feeds"] = {"config": {"feeds": self.feeds}}
        if selection is None or any(key.path[0] in DBT_LAYERS for key in selection):
            ops["dbt_models"] = {"config": {"as_of": self.as_of, "full_refresh": self.full_refresh,
                                            "dbt_log_on_stdout": self.verbose}}
        # Dagster's own log with --verbose; else a line per stage (progress.py) and warnings
        return {"ops": ops, "resources": {"warehouse": {"config": {"path": str(self.warehouse)}}}, "loggers": (
            {"console": {"config": {"log_level": "INFO"}}} if self.verbose else
            {"console": {"config": {"log_level": "WARNING"}}, "stage_lines": {}})}

    def execute(self, selection: list[AssetKey] | None) -> PipelineResult:
        # every feed partition in one run (the ingest asset's single-run backfill policy); --feeds narrows
        # it through the ingest config; the run holds the warehouse's writer lock (the Warehouse resource)
        result = self.job.execute_in_process(run_config=self.run_config(selection), instance=self.instance,
                                             raise_on_error=False, asset_selection=selection,
                                             tags={**all_feeds_tags(), LAUNCHED_BY_TAG: "coopmetrics CLI"})
        summary = PipelineResult(success=result.success)
        for event in result.get_asset_materialization_events():
            materialization = event.event_specific_data.materialization
            key = materialization.asset_key.to_user_string()
            if KEPT_METADATA in materialization.metadata:  # the same table again: not built by this run
                summary.plan = materialization.metadata[KEPT_METADATA].value
                continue
            summary.materialized.append(key)
            summary.metadata[key] = {k: v.value for k, v in materialization.metadata.items()}
        for evaluation in result.get_asset_check_evaluations():
            name = f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
            if evaluation.passed and RESTATED_METADATA in evaluation.metadata:
                summary.checks_restated += 1
            elif evaluation.passed:
                summary.checks_passed += 1
            else:
                level = "ERROR" if evaluation.severity == AssetCheckSeverity.ERROR else "WARN"
                summary.checks_failed.append(f"{name} ({level}): {evaluation.description or ''}")
        summary.failed_steps = [e.step_key for e in result.get_step_failure_events()]
        return summary


def print_summary(result: PipelineResult, warehouse: Path | None = None) -> None:
    warehouse = warehouse or warehouse_path()
    ingest = result.metadata.get("raw/events", {})
    marts = [k for k in result.materialized if k.startswith("marts/")]
    extracts = [k for k in result.materialized if k.startswith("extracts/")]
    print()
    if result.success and result.feeds_failed:
        print(f"coopmetrics run FAILED for {len(result.feeds_failed)} feed(s); the other feeds and the marts "
              "were built")
    else:
        print("coopmetrics run " + ("succeeded" if result.success else "FAILED"))
    for org_id, why in result.feeds_failed.items():
        print(f"  feed {org_id} FAILED: {why}")
    if ingest:
        print(f"  events stored:   {ingest.get('stored', 0)} (store holds {ingest.get('events_in_store', 0)})")
        print(f"  duplicates:      {ingest.get('duplicates', 0)}")
        print(f"  quarantined:     {ingest.get('quarantined', 0)} records, "
              f"{ingest.get('files_quarantined', 0)} whole files")
    if result.plan:
        print(f"  {result.plan}")
    print(f"  marts built:     {len(marts)}")
    restated = f"; {result.checks_restated} passed when last run, on the models kept" if result.checks_restated else ""
    print(f"  checks passed:   {result.checks_passed}, failed: {len(result.checks_failed)}{restated}")
    for failure in result.checks_failed:
        print(f"    - {failure}")
    for step in result.failed_steps:
        print(f"  failed step:     {step}")
    print(f"  warehouse:       {warehouse}")
    if "published/catalog" in result.materialized:
        print(f"  readers:         {published_catalog(warehouse)} (notebooks open it read_only=True)")
    print(f"  extracts:        {extracts_dir(warehouse)} ({len(extracts)} published; a report.html and a social report "
          "sheet in each)")
    if "report/consortium" in result.materialized:
        print(f"  report:          {report_path(warehouse)}")
    if "report/social" in result.materialized:
        print(f"  social report:   {social_report_dir(warehouse)}/<year>/ (the latest complete year; print to PDF)")
    print(f"  quality docs:    {result.data_docs}")
