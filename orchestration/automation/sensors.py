"""One sensor per feed of the registry: it notices new or grown files in the
feed's landing folder and requests a run of just that feed and everything
downstream of it. Two run-status sensors render the GX Data Docs after
every pipeline run the Dagster daemon watches (schedule, sensors, UI
launches), as `coopmetrics run` does after its own; a failed run's docs
matter most, so both outcomes trigger it."""

from __future__ import annotations

import hashlib
import json

import duckdb
from dagster import (
    DagsterRunStatus,
    DefaultSensorStatus,
    RunRequest,
    RunStatusSensorContext,
    SensorDefinition,
    SensorEvaluationContext,
    SkipReason,
    run_status_sensor,
    sensor,
)

from orchestration.automation.jobs import pipeline_job
from orchestration.core.locking import WarehouseBusy, reader_lock
from orchestration.core.registry import Feed, load_registry
from orchestration.core.resources import Warehouse


def landing_state(feed: Feed) -> dict[str, list[int]]:
    """{path: [size, mtime_ns]} of the feed's files now."""
    state = {}
    for path in feed.files():
        stat = path.stat()
        state[str(path)] = [stat.st_size, stat.st_mtime_ns]
    return state


def changed_files(previous: dict[str, list[int]], current: dict[str, list[int]]) -> list[str]:
    """Files that are new, or whose size or modification time moved."""
    return sorted(path for path, seen in current.items() if previous.get(path) != seen)


def feed_sensor(feed: Feed) -> SensorDefinition:
    @sensor(
        name=f"feed_{feed.feed_id.replace('-', '_')}",
        job=pipeline_job,
        minimum_interval_seconds=60,
        default_status=DefaultSensorStatus.STOPPED,
        description=f"Runs the pipeline for feed {feed.feed_id} ({feed.org_id})"
                    f" when files under {feed.landing} appear or grow.",
    )
    def _sensor(context: SensorEvaluationContext):
        previous = json.loads(context.cursor) if context.cursor else {}
        current = landing_state(feed)
        changed = changed_files(previous, current)
        if not changed:
            return SkipReason(f"no new or grown files for {feed.feed_id}")
        fingerprint = hashlib.sha256(json.dumps({p: current[p] for p in changed}).encode()).hexdigest()[:16]
        context.update_cursor(json.dumps(current))
        return RunRequest(
            run_key=f"{feed.feed_id}:{fingerprint}",
            partition_key=feed.feed_id,  # the feed's partition of the ingest asset, and what is downstream
            tags={"coopmetrics/feed": feed.feed_id, "coopmetrics/files": str(len(changed))},
        )

    return _sensor


def build_feed_sensors() -> list[SensorDefinition]:
    return [feed_sensor(feed) for feed in load_registry().feeds]


def render_after_run(context: RunStatusSensorContext) -> SkipReason | None:
    from orchestration.quality.data_docs import build_data_docs

    warehouse = Warehouse()
    try:
        with reader_lock(warehouse.file, wait_seconds=0):
            index = build_data_docs(warehouse)
    except (WarehouseBusy, duckdb.IOException) as exc:  # another run holds the warehouse: it renders after itself
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
