"""Render the GX Data Docs after every pipeline run the Dagster daemon
watches (schedule, sensors, UI launches), as `coopmetrics run` does after
its own: a failed run's docs matter most, so both outcomes trigger it."""

import duckdb
from dagster import (
    DagsterRunStatus,
    DefaultSensorStatus,
    RunStatusSensorContext,
    SkipReason,
    run_status_sensor,
)

from orchestration.automation.jobs import pipeline_job
from orchestration.resources import Warehouse


def render_after_run(context: RunStatusSensorContext) -> SkipReason | None:
    from orchestration.quality.data_docs import build_data_docs

    try:
        index = build_data_docs(Warehouse())
    except duckdb.IOException as exc:  # another run took the warehouse in the meantime: the next run renders
        return SkipReason(f"warehouse busy, Data Docs not rendered: {exc}")
    if index is None:
        return SkipReason("no great-expectations validation recorded yet")
    context.log.info(f"GX Data Docs after run {context.dagster_run.run_id}: {index}")
    return None


def _sensor(status: DagsterRunStatus, name: str):
    @run_status_sensor(run_status=status, monitored_jobs=[pipeline_job], name=name,
                       default_status=DefaultSensorStatus.RUNNING,
                       description=f"Renders warehouse/quality/data_docs after a {status.value.lower()} "
                                   "pipeline run.")
    def _render(context: RunStatusSensorContext):
        return render_after_run(context)

    return _render


quality_docs_after_success = _sensor(DagsterRunStatus.SUCCESS, "quality_docs_after_success")
quality_docs_after_failure = _sensor(DagsterRunStatus.FAILURE, "quality_docs_after_failure")
QUALITY_DOCS_SENSORS = [quality_docs_after_success, quality_docs_after_failure]
