"""One decision wherever a run starts: a run the daily schedule requests,
one a feed sensor requests, and `coopmetrics run`, each launched on the
same warehouse and Dagster instance, rebuild, keep and check the same
things, because the dbt steps decide it inside the run
(transform/kept.py). Read off the instance's event log of each run."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from dagster import DagsterEventType, DagsterInstance, build_schedule_context, build_sensor_context

from orchestration.automation.jobs import PIPELINE_JOB
from orchestration.automation.schedules import daily_pipeline
from orchestration.automation.sensors import feed_sensor
from orchestration.core.asset_keys import KEPT_METADATA, RESTATED_METADATA
from orchestration.core.registry import load_registry
from orchestration.pipeline_run import run_pipeline
from orchestration.transform.builds import clock_models
from orchestration.transform.project import dbt_project
from tests.ingest_helpers import NDJSON_FEED, envelope, lines

pytestmark = [pytest.mark.slow, pytest.mark.replay]
LAYERS = ("staging", "intermediate", "marts")


def decisions(instance: DagsterInstance, run_id: str) -> dict[str, set[str]]:
    """What the run rebuilt and kept of the dbt models, the checks it ran and those it restated."""
    found: dict[str, set[str]] = {"rebuilt": set(), "kept": set(), "checked": set(), "restated": set()}
    for record in instance.get_records_for_run(run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION).records:
        materialization = record.event_log_entry.asset_materialization
        if materialization.asset_key.path[0] in LAYERS:
            found["kept" if KEPT_METADATA in materialization.metadata else "rebuilt"].add(
                materialization.asset_key.to_user_string())
    for record in instance.get_records_for_run(run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION).records:
        evaluation = record.event_log_entry.dagster_event.event_specific_data
        found["restated" if RESTATED_METADATA in evaluation.metadata else "checked"].add(
            f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}")
    return found


def _launch(instance: DagsterInstance, request, **partition) -> str:  # noqa: ANN001 - a RunRequest
    """The run a request asks for, executed on the instance as its run worker would."""
    from orchestration.definitions import build_definitions  # reads the registry in force

    job = build_definitions().resolve_job_def(PIPELINE_JOB)
    result = job.execute_in_process(run_config=request.run_config or {}, tags=request.tags, instance=instance,
                                    raise_on_error=False, **partition)
    assert result.success
    return result.run_id


def _cli(instance: DagsterInstance) -> str:
    result = run_pipeline(instance=instance)
    assert result.success, result.failed_steps + result.checks_failed
    return instance.get_run_records(limit=1)[0].dagster_run.run_id


def _use(root: Path, monkeypatch: pytest.MonkeyPatch) -> DagsterInstance:
    monkeypatch.setenv("COOPMETRICS_WAREHOUSE", str(root / "wh" / "coopmetrics.duckdb"))
    monkeypatch.setenv("COOPMETRICS_REGISTRY", str(root / "registry.yml"))
    (root / "dagster_home").mkdir(exist_ok=True)
    return DagsterInstance.from_config(str(root / "dagster_home"))


def test_the_schedule_a_sensor_and_the_cli_take_the_same_decisions(tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "alpha").mkdir(parents=True)
    (site / "registry.yml").write_text(yaml.safe_dump({"feeds": [NDJSON_FEED]}))
    (site / "alpha" / "a.ndjson").write_text(lines(
        envelope("j1", payload={"person_ref": "p-1", "role": "member"}),
        envelope("l1", event_type="initiative.launched", occurred_at="2025-01-02T09:00:00Z", payload={
            "initiative_id": "i1", "title": "Orti", "sector": "agriculture", "locality": "Bologna"})))
    instance = _use(site, monkeypatch)
    first = decisions(instance, _cli(instance))
    assert first["rebuilt"] and not first["kept"]  # nothing built yet: every model

    # nothing new: a scheduled run and the CLI keep the same models and rebuild what moves with the clock
    (request,) = daily_pipeline.evaluate_tick(build_schedule_context(
        instance=instance, scheduled_execution_time=datetime(2025, 3, 1, 5, 0))).run_requests
    scheduled = decisions(instance, _launch(instance, request))
    by_cli = decisions(instance, _cli(instance))
    assert scheduled == by_cli
    assert {key.split("/")[1] for key in scheduled["rebuilt"]} >= set(clock_models(dbt_project.manifest_path))
    # a kept mart is yielded, for what reads it outside the dbt step; a kept staging or intermediate model
    # is left as it is
    assert scheduled["kept"] and {key.split("/")[0] for key in scheduled["kept"]} == {"marts"}
    assert not scheduled["kept"] & scheduled["rebuilt"] and scheduled["kept"] | scheduled["rebuilt"] <= first["rebuilt"]
    # a check of a kept mart says its last verdict again; the checks run are those of what was rebuilt
    assert scheduled["checked"] | scheduled["restated"] <= first["checked"]
    assert scheduled["restated"] and not scheduled["checked"] & scheduled["restated"]
    assert {check.split(":")[0] for check in scheduled["restated"]} <= scheduled["kept"]

    # a file arrives: the sensor's run and the CLI's, each on its own copy of the warehouse, rebuild everything
    shutil.copytree(site, tmp_path / "copy")
    delivery = lines(envelope("j2", payload={"person_ref": "p-2", "role": "volunteer"}))
    for root in (site, tmp_path / "copy"):
        (root / "alpha" / "b.ndjson").write_text(delivery)
    feed = load_registry(site / "registry.yml").feeds[0]
    from orchestration.definitions import build_definitions

    (request,) = feed_sensor(feed).evaluate_tick(build_sensor_context(
        instance=instance, definitions=build_definitions())).run_requests
    sensed = decisions(instance, _launch(instance, request, partition_key=request.partition_key))
    copy = _use(tmp_path / "copy", monkeypatch)
    after_delivery = decisions(copy, _cli(copy))
    assert sensed == after_delivery
    assert sensed["rebuilt"] == first["rebuilt"] and not sensed["kept"] and not sensed["restated"]
