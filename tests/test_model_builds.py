"""When a run may keep the models it does not rebuild (transform/builds.py):
only while the store, the code and the registry are where the latest
current build left them, and no ERROR check on the models failed since.
Each case on a real DuckDB file."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from dagster import AssetCheckResult, AssetCheckSeverity

from orchestration.core.check_results import record_check
from orchestration.core.settings import DEFAULT_REGISTRY, REGISTRY_ENV
from orchestration.core.warehouse import connect
from orchestration.quality.status import status_report
from orchestration.transform.builds import build_finished, build_started, clock_models, settled_build
from orchestration.transform.project import dbt_project

APPEND = """
    INSERT INTO raw.events (org_id, event_id, event_type, schema_version, occurred_at, payload,
                            ingested_at, run_id, source_file, source_line, content_hash)
    VALUES ('alfa', $event_id, 'member.left', 1, TIMESTAMP '2025-01-01 10:00:00', '{"person_ref": "p-1"}',
            now()::TIMESTAMP, 'manual', 'none', 1, repeat('0', 64))
"""


@pytest.fixture
def con(warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    registry = tmp_path / "registry.yml"
    registry.write_text(DEFAULT_REGISTRY.read_text())
    monkeypatch.setenv(REGISTRY_ENV, str(registry))
    with contextlib.closing(connect(warehouse)) as connection:
        connection.execute(APPEND, {"event_id": "e-1"})
        yield connection


def build(con, run_id: str, whole: bool = True, as_of: str | None = None) -> None:  # noqa: ANN001
    build_started(con, run_id, whole)
    build_finished(con, run_id, whole, as_of)


def failed_check(con, stage: str) -> None:  # noqa: ANN001
    result = AssetCheckResult(asset_key=["marts", "x"], check_name="c", passed=False,
                              severity=AssetCheckSeverity.ERROR)
    record_check(con, "later-run", ["marts", "x"], "c", result, stage=stage)


def test_a_whole_build_at_the_clock_stands_until_an_event_is_appended(con):
    assert settled_build(con) is None  # no build yet
    build(con, "whole-1")
    assert settled_build(con) == "whole-1"
    build(con, "clock-1", whole=False)  # a run with nothing new: the inputs a current build left
    assert settled_build(con) == "clock-1"
    con.execute(APPEND, {"event_id": "e-2"})
    assert settled_build(con) is None


def test_a_changed_registry_or_code_unsettles_it(con, tmp_path):
    build(con, "whole-1")
    registry = tmp_path / "registry.yml"
    registry.write_text(registry.read_text() + "\n# a comment is a change of the file\n")
    assert settled_build(con) is None


def test_a_build_as_of_an_instant_or_unfinished_is_not_current(con):
    build(con, "whole-1")
    build(con, "past", as_of="2024-01-01T00:00:00")
    assert settled_build(con) is None
    build(con, "clock-1", whole=False)  # what the past build left is not made current by a part
    assert settled_build(con) is None
    build(con, "whole-2")
    build_started(con, "killed", whole=True)
    assert settled_build(con) is None


def test_an_error_on_the_models_since_the_whole_build_unsettles_it_one_on_the_store_does_not(con):
    build(con, "whole-1")
    failed_check(con, "landing")
    failed_check(con, "event_store")
    assert settled_build(con) == "whole-1"
    failed_check(con, "marts")
    assert settled_build(con) is None
    build(con, "whole-2")  # the next whole build re-runs every check
    assert settled_build(con) == "whole-2"


def test_the_clock_models_are_read_off_the_manifest():
    assert clock_models(dbt_project.manifest_path) == [
        "int_person_quarters", "mart_build_info", "mart_coalitions", "mart_consortium_monthly"]


def test_status_says_what_the_latest_build_stands_for(warehouse, tmp_path, monkeypatch):
    monkeypatch.setenv(REGISTRY_ENV, str(DEFAULT_REGISTRY))

    def status_after(*steps) -> str:  # noqa: ANN002 - callables on the connection
        with contextlib.closing(connect(warehouse)) as con:
            for step in steps:
                step(con)
        return status_report(warehouse).splitlines()[3]

    assert status_after() == "models: never built"
    line = status_after(lambda con: con.execute(APPEND, {"event_id": "e-1"}).fetchall(),
                        lambda con: build(con, "whole-1"))
    assert line.startswith("models: current, every model built by run whole-1 at ") and line.endswith(" on 1 events")
    assert status_after(lambda con: con.execute(APPEND, {"event_id": "e-2"}).fetchall()).endswith(
        "on 1 events; 1 event(s) stored since, the next run rebuilds every model")
    assert "did not finish" in status_after(lambda con: build_started(con, "killed", whole=True))
