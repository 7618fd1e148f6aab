"""When a run may keep the models it does not rebuild (transform/builds.py):
only while the store, the code and what the registry says are where the
latest current build left them, and no ERROR check on the models failed
since; a change to the impact catalogue alone unsettles only what reads it.
Each case on a real DuckDB file."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from pathlib import Path

import pytest
from dagster import AssetCheckResult, AssetCheckSeverity

from orchestration.core.check_results import record_check
from orchestration.core.settings import DBT_PROJECT_DIR, DEFAULT_REGISTRY, REGISTRY_ENV, WAREHOUSE_ENV, dbt_executable
from orchestration.core.warehouse import connect
from orchestration.quality.status import status_report
from orchestration.transform.builds import (
    build_finished,
    build_started,
    built_through,
    clock_models,
    keys_checked_through,
    settled_build,
    touched_keys_plan,
)
from orchestration.transform.project import dbt_project
from tests.ingest_helpers import Harness, envelope, lines

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
    build_started(con, run_id, whole, built_from=0)
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


def test_a_build_is_entered_with_the_code_it_was_planned_with_not_code_changed_while_it_ran(con):
    # the code was hashed when the step planned ("code-at-plan"); what is on disk when it ends differs
    build_started(con, "during-an-edit", True, built_from=0)
    build_finished(con, "during-an-edit", True, None, digest="code-at-plan")
    assert con.execute("SELECT inputs_digest FROM builds.model_builds WHERE run_id = 'during-an-edit'"
                       ).fetchall() == [("code-at-plan",)]
    assert settled_build(con) is None  # the code on disk is not what was built: every model again
    assert settled_build(con, digest="code-at-plan") == "during-an-edit"


def test_a_changed_registry_or_code_unsettles_it(con, tmp_path):
    build(con, "whole-1")
    registry = tmp_path / "registry.yml"
    registry.write_text(registry.read_text() + "\n# a comment says nothing the registry holds\n")
    assert settled_build(con) == "whole-1"
    registry.write_text(registry.read_text().replace("name: Cooperativa Verde", "name: Cooperativa Verde Nuova"))
    assert settled_build(con) is None


def test_a_changed_catalogue_alone_leaves_the_build_settled_but_for_what_reads_it(con):
    con.execute("INSERT INTO raw.impact_settings VALUES (0.035, 'catalogue-1')")
    build(con, "whole-1")
    assert settled_build(con) == "whole-1"
    con.execute("UPDATE raw.impact_settings SET catalogue_digest = 'catalogue-2'")  # as an ingest run syncs it
    assert settled_build(con) is None
    assert settled_build(con, catalogue=False) == "whole-1"
    build(con, "part-without-the-catalogue", whole=False)  # not current: the catalogue's models were not built
    assert settled_build(con, catalogue=False) is None
    build(con, "whole-2")
    con.execute("UPDATE raw.impact_settings SET catalogue_digest = 'catalogue-3'")
    build_started(con, "catalogue-run", False, built_from=0)
    build_finished(con, "catalogue-run", False, None, rebuilt_catalogue=True)
    assert settled_build(con) == "catalogue-run"


def test_a_build_as_of_an_instant_or_unfinished_is_not_current(con):
    build(con, "whole-1")
    build(con, "past", as_of="2024-01-01T00:00:00")
    assert settled_build(con) is None
    build(con, "clock-1", whole=False)  # what the past build left is not made current by a part
    assert settled_build(con) is None
    build(con, "whole-2")
    build_started(con, "killed", whole=True, built_from=0)
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


def bound_for(con, run_id: str, whole: bool = True, as_of: str | None = None,  # noqa: ANN001
              full_refresh: bool = False) -> int:
    """A build of the models, as the dbt step makes it (transform/plan.py): the bound the tables kept by
    touched keys were updated from, passed to dbt as a var and entered with the build."""
    through = built_through(con, full_refresh, as_of)
    build_started(con, run_id, whole, through)
    assert con.execute("SELECT built_from FROM builds.model_builds WHERE run_id = $r", {"r": run_id}).fetchall() \
        == [(through,)]
    build_finished(con, run_id, whole, as_of)
    return through


def test_the_touched_keys_are_taken_from_the_build_before_only_when_it_covered_the_store(con, tmp_path):
    seq = lambda: con.execute("SELECT max(event_seq) FROM raw.events").fetchall()[0][0]  # noqa: E731
    assert touched_keys_plan(con) is None  # no build yet
    assert bound_for(con, "first") == 0  # nothing built yet: whole
    assert touched_keys_plan(con) == "the tables kept by touched keys were built whole"
    first = seq()
    con.execute(APPEND, {"event_id": "e-2"})
    assert bound_for(con, "delivery") == first  # from where the build before left the store
    assert touched_keys_plan(con) == ("the tables kept by touched keys computed again only the rows moved by "
                                      f"the events after event_seq {first:,} (up to {seq():,})")
    assert bound_for(con, "after-everything", as_of="2999-01-01T00:00:00Z") == seq()  # knew every event
    assert bound_for(con, "refresh", full_refresh=True) == 0
    assert bound_for(con, "past", as_of="2024-01-01T00:00:00Z") == 0  # knows fewer events than stored
    assert bound_for(con, "after-past") == 0  # the tables hold what the past build knew
    assert bound_for(con, "clock", whole=False) == seq()  # nothing appended: a part keeps the whole
    con.execute(APPEND, {"event_id": "e-3"})
    assert bound_for(con, "part", whole=False) == seq() - 1  # a part after an append leaves tables behind:
    assert bound_for(con, "after-part") == 0  # the next build is whole
    build_started(con, "killed", whole=True, built_from=0)
    assert bound_for(con, "after-killed") == 0  # a build that never finished may have left them half done
    registry = tmp_path / "registry.yml"
    registry.write_text(registry.read_text().replace("name: Cooperativa Verde", "name: Cooperativa Verde Nuova"))
    assert bound_for(con, "new-registry") == 0


def test_the_clock_models_are_read_off_the_manifest():
    assert clock_models(dbt_project.manifest_path) == [
        "int_person_quarters", "int_quarters", "int_years", "mart_build_info", "mart_coalitions",
        "mart_consortium_monthly"]


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
        "on 1 events; 1 event(s) stored since, the next run rebuilds every model, the tables kept by touched "
        "keys from event_seq 1")
    assert "did not finish" in status_after(lambda con: build_started(con, "killed", whole=True, built_from=0))


def _dbt_test_staging_keys(db: Path, checked_through: int | None = None) -> dict[str, str]:
    """`dbt build` of stg_events__events (its view and its tests), with the bound a pipeline build passes
    when one is given: each test's status."""
    target = db.parent / "dbt_target"
    bound = [] if checked_through is None else ["--vars", json.dumps({"keys_checked_through": checked_through})]
    done = subprocess.run([dbt_executable(), "build", "--quiet", "--select", "stg_events__events", "--target-path",
                           str(target), *bound], cwd=DBT_PROJECT_DIR, env={**os.environ, WAREHOUSE_ENV: str(db)},
                          capture_output=True, text=True)
    results = json.loads((target / "run_results.json").read_text())["results"]
    assert done.returncode == (1 if any(r["status"] == "fail" for r in results) else 0), done.stdout[-2000:]
    return {r["unique_id"].split(".")[2]: r["status"] for r in results if r["unique_id"].startswith("test.")}


@pytest.mark.slow
def test_the_key_tests_look_up_the_keys_stored_since_the_latest_current_build(tmp_path, monkeypatch):
    monkeypatch.setenv(REGISTRY_ENV, str(DEFAULT_REGISTRY))
    harness = Harness(tmp_path)
    harness.write("alpha/a.ndjson", lines(*[envelope(f"e{n}") for n in range(6)]))
    harness.ingest()
    with contextlib.closing(connect(harness.db)) as con:
        build(con, "whole-1")  # the six events passed the key tests in a current build
        # a writer that bypassed ingest stores e2 again under a new event_seq, and repeats event_seq 3
        # among the rows of that build
        con.execute("INSERT INTO raw.events SELECT * REPLACE (nextval('raw.event_seq') AS event_seq) "
                    "FROM raw.events WHERE event_id = 'e2'").fetchall()
        con.execute("UPDATE raw.events SET event_seq = 3 WHERE event_seq = 4").fetchall()
        through = keys_checked_through(con, full_refresh=False)
        assert through == 6 and keys_checked_through(con, full_refresh=True) == 0
    statuses = _dbt_test_staging_keys(harness.db, through)
    assert statuses["unique_combination_stg_events__events_event_seq__org_id__event_id"] == "fail"
    # the bound is real: a repeat among the rows before it is not looked at (those rows passed before)
    assert statuses["unique_combination_stg_events__events_event_seq__event_seq"] == "pass"
    # without the var (dbt run by hand, or a full refresh), every row is read: the old repeat is found
    assert _dbt_test_staging_keys(harness.db) == {
        "unique_combination_stg_events__events_event_seq__org_id__event_id": "fail",
        "unique_combination_stg_events__events_event_seq__event_seq": "fail",
        "not_null_stg_events__events_event_seq": "pass"}


def test_status_says_who_launched_each_run_and_what_it_did():
    from orchestration.quality.run_history import launched_by, what_it_did

    assert launched_by({"dagster/schedule_name": "daily_pipeline", "dagster/from_ui": "true"}) == \
        "schedule daily_pipeline"
    assert launched_by({"dagster/sensor_name": "feed_alfa"}) == "sensor feed_alfa"
    assert launched_by({"coopmetrics/launched_by": "coopmetrics CLI"}) == "coopmetrics CLI"
    assert launched_by({"dagster/from_ui": "true"}) == "the UI"
    assert launched_by({}) == "dagster CLI or API"
    assert what_it_did(1200, True, True) == "stored 1,200; every model built"
    assert what_it_did(None, False, True) == "nothing stored; nothing new: the models that move with the clock"
    assert what_it_did(5, False, True) == "stored 5; part of the models built"
    assert what_it_did(None, True, False) == "nothing stored; its build of the models did not finish"
    assert what_it_did(320, None, None) == "stored 320; no model built"
