"""Run the whole pipeline in-process (one DuckDB writer) and summarise it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from dagster import AssetCheckSeverity, AssetKey, DagsterInstance

from orchestration.automation.jobs import PIPELINE_JOB
from orchestration.automation.schedules import all_feeds_tags
from orchestration.core.locking import reader_lock
from orchestration.core.resources import Warehouse
from orchestration.core.settings import VERBOSE_ENV, dagster_home, extracts_dir, report_path, warehouse_path


@dataclass
class PipelineResult:
    success: bool
    metadata: dict[str, dict] = field(default_factory=dict)
    materialized: list[str] = field(default_factory=list)
    checks_passed: int = 0
    checks_failed: list[str] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    data_docs: str | None = None  # index.html of the GX Data Docs, or why they were not rendered

    @property
    def feeds_failed(self) -> dict[str, str]:
        """org_id -> why: feeds not (wholly) ingested while the others and the marts went on."""
        return self.metadata.get("raw/events", {}).get("feeds_failed") or {}

    @property
    def ok(self) -> bool:
        return self.success and not self.feeds_failed


def render_data_docs() -> str:
    """The GX Data Docs of the latest runs (a failing run's most of all);
    a rendering error is reported in the summary, never hidden."""
    from orchestration.quality.data_docs import build_data_docs

    try:
        with reader_lock(warehouse_path()):  # the run is over: only another run's start can hold it
            index = build_data_docs(Warehouse())
    except Exception as exc:  # noqa: BLE001 - the run's own outcome must still be reported
        return f"not rendered: {type(exc).__name__}: {exc}"
    return str(index) if index else "not rendered: no validation recorded yet"


def run_pipeline(as_of: str | None = None, feeds: list[str] | None = None, full_refresh: bool = False,
                 asset_selection: list[AssetKey] | None = None, instance: DagsterInstance | None = None,
                 ) -> PipelineResult:
    """Execute the pipeline job in this process; Dagster's own run storage
    records it when DAGSTER_HOME is set (so `make dev` shows CLI runs)."""
    from orchestration.definitions import build_definitions

    defs = build_definitions()  # from the registry in force now (partners are assets)
    if instance is None:  # the instance the UI reads: CLI runs are in its history too
        instance = DagsterInstance.from_config(str(dagster_home()))
    job = defs.resolve_job_def(PIPELINE_JOB)
    run_config: dict = {
        "ops": {
            "ingest_feeds": {"config": {"feeds": feeds}},
        },
        # Dagster's own log with --verbose; else a line per stage (progress.py) and warnings
        "loggers": ({"console": {"config": {"log_level": "INFO"}}} if os.environ.get(VERBOSE_ENV) else
                    {"console": {"config": {"log_level": "WARNING"}}, "stage_lines": {}}),
    }
    for dbt_step in ("dbt_staging", "dbt_models"):
        run_config["ops"][dbt_step] = {"config": {"as_of": as_of, "full_refresh": full_refresh}}
    # every feed partition in one run (the ingest asset's single-run backfill policy);
    # --feeds narrows it through the ingest config
    tags = all_feeds_tags()
    # the run holds the warehouse's writer lock (the Warehouse resource takes it)
    result = job.execute_in_process(run_config=run_config, instance=instance, raise_on_error=False,
                                    asset_selection=asset_selection, tags=tags)
    docs = render_data_docs()
    summary = PipelineResult(success=result.success, data_docs=docs)
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        key = materialization.asset_key.to_user_string()
        summary.materialized.append(key)
        summary.metadata[key] = {k: v.value for k, v in materialization.metadata.items()}
    for evaluation in result.get_asset_check_evaluations():
        name = f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
        if evaluation.passed:
            summary.checks_passed += 1
        else:
            level = "ERROR" if evaluation.severity == AssetCheckSeverity.ERROR else "WARN"
            summary.checks_failed.append(f"{name} ({level}): {evaluation.description or ''}")
    summary.failed_steps = [e.step_key for e in result.get_step_failure_events()]
    return summary


def print_summary(result: PipelineResult) -> None:
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
    print(f"  marts built:     {len(marts)}")
    print(f"  checks passed:   {result.checks_passed}, failed: {len(result.checks_failed)}")
    for failure in result.checks_failed:
        print(f"    - {failure}")
    for step in result.failed_steps:
        print(f"  failed step:     {step}")
    print(f"  warehouse:       {warehouse_path()}")
    print(f"  extracts:        {extracts_dir()} ({len(extracts)} published; a report.html in each)")
    if "report/consortium" in result.materialized:
        print(f"  report:          {report_path()}")
    print(f"  quality docs:    {result.data_docs}")
