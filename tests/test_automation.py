"""The daily schedule and the per-feed sensors, evaluated with Dagster's
test contexts; the freshness rule; `coopmetrics status` and `sql`."""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb
import pytest
import yaml
from dagster import RunRequest, build_schedule_context
from dagster import build_sensor_context as dagster_sensor_context

from orchestration.automation.schedules import daily_pipeline
from orchestration.automation.sensors import changed_files, feed_sensor
from orchestration.cli import main as cli
from orchestration.core.asset_keys import STORE_KEYS
from orchestration.core.registry import parse_registry
from orchestration.core.settings import DEFAULT_REGISTRY
from orchestration.quality.feed_freshness import stale_feeds
from tests.ingest_helpers import envelope, lines


def registry_in(tmp_path, **extra):
    feed = {"org_id": "alfa", "name": "A", "sector": "s", "locality": "l", "format": "ndjson",
            "landing": "alfa/*.ndjson", "demo": True, **extra}
    (tmp_path / "registry.yml").write_text(yaml.safe_dump({"feeds": [feed]}))
    return parse_registry({"feeds": [feed]}, tmp_path / "registry.yml")


def test_daily_schedule_requests_every_feed_partition_in_one_run(monkeypatch):
    monkeypatch.setenv("COOPMETRICS_REGISTRY", str(DEFAULT_REGISTRY))
    (request,) = daily_pipeline.evaluate_tick(build_schedule_context(
        scheduled_execution_time=datetime(2025, 3, 1, 5, 0))).run_requests
    assert isinstance(request, RunRequest)
    # the bundled registry's first and last feeds
    assert request.tags["dagster/asset_partition_range_start"] == "coop-verde"
    assert request.tags["dagster/asset_partition_range_end"] == "sole-initiatives"
    assert daily_pipeline.cron_schedule == "0 5 * * *" and daily_pipeline.job_name == "coopmetrics_pipeline"


def test_feed_sensor_requests_a_run_of_just_that_feed_when_files_appear_or_grow(tmp_path, monkeypatch):
    from orchestration.definitions import build_definitions

    feed = registry_in(tmp_path).feeds[0]
    monkeypatch.setenv("COOPMETRICS_REGISTRY", str(tmp_path / "registry.yml"))
    defs = build_definitions()  # its feed partitions come from this registry
    sensor = feed_sensor(feed)

    def build_sensor_context(cursor=None):
        return dagster_sensor_context(cursor=cursor, definitions=defs)

    assert isinstance(sensor.evaluate_tick(build_sensor_context()).skip_message, str)

    (tmp_path / "alfa").mkdir()
    log = tmp_path / "alfa" / "log.ndjson"
    log.write_text(lines(envelope("e1")))
    first = sensor.evaluate_tick(build_sensor_context())
    (request,) = first.run_requests
    assert request.partition_key == "alfa"
    assert request.tags["coopmetrics/feed"] == "alfa"

    unchanged = sensor.evaluate_tick(build_sensor_context(cursor=first.cursor))
    assert unchanged.run_requests == [] and "no new or grown files" in unchanged.skip_message

    with log.open("a") as handle:
        handle.write(lines(envelope("e2")))
    grown = sensor.evaluate_tick(build_sensor_context(cursor=first.cursor))
    (again,) = grown.run_requests
    assert again.run_key != request.run_key


def test_changed_files():
    assert changed_files({"a": [1, 1]}, {"a": [1, 1], "b": [2, 2], "c": [3, 3]}) == ["b", "c"]
    assert changed_files({"a": [1, 1]}, {"a": [5, 2]}) == ["a"]
    assert changed_files({"a": [1, 1], "gone": [1, 1]}, {"a": [1, 1]}) == []


def test_a_silent_feed_is_stale(tmp_path):
    registry = registry_in(tmp_path, expected_every="6h")
    now = datetime(2025, 3, 1, 12)
    assert stale_feeds({"alfa": now - timedelta(hours=5)}, registry, now) == {}
    assert stale_feeds({"alfa": now - timedelta(hours=7)}, registry, now) == {
        "alfa": "last new record 7 h ago, expected every 6 h"}
    assert stale_feeds({}, registry, now) == {"alfa": "no record ingested yet"}


@pytest.mark.slow
@pytest.mark.xdist_group("hand_checked")
def test_status_and_read_only_sql(marts, capsys):
    assert cli(["status"]) == 0
    out = capsys.readouterr().out
    assert "records read 39 = stored 39 + duplicates 0 + quarantined 0" in out
    # the hand-checked marts are built as of a fixed instant: not what a run at the clock would keep
    assert "not at the clock (--as-of, or a part of them after one); the next run rebuilds every model" in out
    assert cli(["sql", "SELECT org_id, spillovers_originated FROM marts.mart_org_spillovers ORDER BY 1"]) == 0
    table = capsys.readouterr().out
    assert "alfa" in table and "gamma" in table and "spillovers_originated" in table
    assert cli(["sql", "DELETE FROM marts.mart_org_spillovers"]) == 2
    assert "read-only: only SELECT" in capsys.readouterr().err
    assert cli(["sql", "SELECT * FROM nowhere"]) == 1
    assert "nowhere" in capsys.readouterr().err


def test_a_delivery_far_below_the_feeds_history_is_flagged(tmp_path):
    from orchestration.core.warehouse import run_sql, sql_text
    from orchestration.quality.feed_freshness import SQL, volume_drops
    from tests.ingest_helpers import Harness

    harness = Harness(tmp_path)
    serial = 0
    for size in (10, 12, 8, 10, 3):  # usual 10 a delivery, then 3
        harness.write(f"alpha/{serial:03d}.ndjson", lines(*[envelope(f"e{serial}-{i}") for i in range(size)]))
        harness.ingest()
        serial += 1
    con = duckdb.connect(str(harness.db), read_only=True)
    rows = run_sql(con, sql_text("feed_volumes.sql", SQL))
    con.close()
    assert rows == [("alpha", 3, 10.0, 4)]
    assert volume_drops(rows) == {"alpha": "3 records, 30% of the usual 10 (last 4 runs)"}
    assert volume_drops([("alfa", 6, 10.0, 4)]) == {}
    assert volume_drops([("alfa", 1, 10.0, 2)]) == {}  # too little history to judge


@pytest.mark.slow
def test_a_feed_partition_ingests_just_that_feed(tmp_path, monkeypatch):
    from dagster import DagsterInstance

    from orchestration.definitions import build_definitions

    db = tmp_path / "wh.duckdb"
    monkeypatch.setenv("COOPMETRICS_WAREHOUSE", str(db))
    monkeypatch.setenv("COOPMETRICS_REGISTRY", str(DEFAULT_REGISTRY))
    job = build_definitions().resolve_job_def("coopmetrics_pipeline")
    result = job.execute_in_process(partition_key="fondazione-ponte", instance=DagsterInstance.ephemeral(),
                                    asset_selection=list(STORE_KEYS),
                                    raise_on_error=False)
    assert result.success
    con = duckdb.connect(str(db), read_only=True)
    # the bundled fondazione-ponte feed: two CSV files (on time and late), 46 events stored (10 defects,
    # 1 re-delivery)
    assert con.execute("SELECT org_id, count(*) FROM raw.events GROUP BY ALL").fetchall() == [("fondazione-ponte", 46)]
    con.close()


def test_data_docs_are_rendered_after_a_run_the_daemon_watches(warehouse):
    import pandas as pd
    from dagster import DagsterInstance, build_run_status_sensor_context, job, op

    from expectations.landing import landing_expectations
    from expectations.validate import validate_frame
    from orchestration.automation.sensors import quality_docs_after_failure
    from orchestration.core.check_results import record_validations
    from orchestration.core.warehouse import connect

    @op
    def fails():
        raise RuntimeError("boom")

    @job
    def tiny():
        fails()

    instance = DagsterInstance.ephemeral()
    result = tiny.execute_in_process(instance=instance, raise_on_error=False)
    failure = next(e for e in result.all_events if e.event_type_value == "PIPELINE_FAILURE")

    def context():
        return build_run_status_sensor_context(sensor_name="quality_docs_after_failure", dagster_instance=instance,
                                               dagster_run=result.dagster_run, dagster_event=failure)

    warehouse.parent.mkdir(parents=True)
    connect(warehouse).close()
    assert "no great-expectations validation" in quality_docs_after_failure(context()).skip_message
    frame = pd.DataFrame({"source_line": [1], "org_id": ["beta"], "type_version": [None],
                          "event_id_character": ["e"], "event_id_length": [2], "content_hash_length": [64],
                          "actor_ref_character": [None], "person_ref_character": ["p"], "quarantined_share": [0.0]})
    feed = registry_in(warehouse.parent).feeds[0]
    outcome = validate_frame("landing_batch.alpha", "a.ndjson", frame, landing_expectations(feed), ["source_line"])
    con = connect(warehouse)
    record_validations(con, result.run_id, "landing", ["raw", "events"], [("a.ndjson (lines 1-1)", outcome)])
    con.close()
    assert quality_docs_after_failure(context()) is None
    index = warehouse.parent / "quality" / "data_docs" / "index.html"
    assert index.exists() and "landing_batch.alpha" in index.read_text(encoding="utf-8")
    # every page reads offline: its styles, scripts and images are local files beside it
    import re

    for page in index.parent.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"""<(link|script|img)[^>]+(src|href)=["']https?://""", text), page
        for asset in re.findall(r"""(?:src|href)=["']([^"'#?]+\.(?:css|js|png))["']""", text):
            assert (page.parent / asset).resolve().is_file(), (page, asset)
