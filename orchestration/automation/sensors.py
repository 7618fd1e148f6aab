"""One sensor per feed of the registry: it notices new or grown files in the
feed's landing folder and requests a run of just that feed and everything
downstream of it."""

from __future__ import annotations

import hashlib
import json

from dagster import (
    DefaultSensorStatus,
    RunRequest,
    SensorDefinition,
    SensorEvaluationContext,
    SkipReason,
    sensor,
)

from orchestration.automation.jobs import pipeline_job
from orchestration.ingest.registry import Feed, load_registry


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
        name=f"feed_{feed.org_id.replace('-', '_')}",
        job=pipeline_job,
        minimum_interval_seconds=60,
        default_status=DefaultSensorStatus.STOPPED,
        description=f"Runs the pipeline for {feed.org_id} when files under {feed.landing} appear or grow.",
    )
    def _sensor(context: SensorEvaluationContext):
        previous = json.loads(context.cursor) if context.cursor else {}
        current = landing_state(feed)
        changed = changed_files(previous, current)
        if not changed:
            return SkipReason(f"no new or grown files for {feed.org_id}")
        fingerprint = hashlib.sha256(json.dumps({p: current[p] for p in changed}).encode()).hexdigest()[:16]
        context.update_cursor(json.dumps(current))
        return RunRequest(
            run_key=f"{feed.org_id}:{fingerprint}",
            partition_key=feed.org_id,  # the feed's partition of the ingest asset, and what is downstream
            tags={"coopmetrics/feed": feed.org_id, "coopmetrics/files": str(len(changed))},
        )

    return _sensor


def build_feed_sensors() -> list[SensorDefinition]:
    return [feed_sensor(feed) for feed in load_registry().feeds]
