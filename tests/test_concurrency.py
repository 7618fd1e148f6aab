"""One writer for every kind of run, and readers that never break one: two
runs started at once (the CLI's and one launched through a Dagster
instance) are serialised, nothing is stored twice, the ledger conserves; a
reader during a run waits and then names the run; a run waits for the
readers of the moment."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import duckdb
import pytest
import yaml
from dagster import DagsterInstance

from orchestration.core.locking import WarehouseBusy, reader_lock, warehouse_lock
from orchestration.core.settings import DEFAULT_REGISTRY, PROJECT_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.faults]  # runs at once and waits: make test-faults

CLI_INGEST = (
    "from orchestration.core.asset_keys import STORE_KEYS\n"
    "from orchestration.pipeline_run import run_pipeline\n"
    "r = run_pipeline(asset_selection=list(STORE_KEYS))\n"
    "print('STORED', r.metadata['raw/events']['stored'], r.success)\n"
)


def env_for(db, **extra) -> dict[str, str]:
    env = {**os.environ, "COOPMETRICS_WAREHOUSE": str(db), "COOPMETRICS_REGISTRY": str(DEFAULT_REGISTRY)}
    env.pop("COOPMETRICS_PEPPER", None)
    env["DAGSTER_HOME"] = str(db.parent / "dagster_home")
    env.update(extra)
    return env


def dagster_materialize(env: dict[str, str]) -> subprocess.Popen:
    feeds = yaml.safe_load(DEFAULT_REGISTRY.read_text())["feeds"]
    return subprocess.Popen(
        [str(PROJECT_ROOT / ".venv" / "bin" / "dagster"), "asset", "materialize", "-m", "orchestration.definitions",
         "--select", "raw/events,raw/organisations,raw/outcome_catalogue,raw/impact_settings", "--partition-range",
         f"{feeds[0].get('feed_id', feeds[0]['org_id'])}...{feeds[-1].get('feed_id', feeds[-1]['org_id'])}"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_cli_run_and_a_dagster_launched_run_at_once_are_serialised(tmp_path):
    db = tmp_path / "wh.duckdb"
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text((PROJECT_ROOT / "orchestration" / "instance" / "dagster.yaml").read_text())
    env = env_for(db, DAGSTER_HOME=str(home))
    runs = [subprocess.Popen([sys.executable, "-c", CLI_INGEST], cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True), dagster_materialize(env)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err[-2000:] for _, err in outputs]
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*), count(DISTINCT (org_id, event_id)) FROM raw.events").fetchall() == [(320, 320)]
    # the second run found every file read already (skipped files write no ledger row)
    assert con.execute("SELECT sum(records_read) - sum(stored + duplicates + quarantined), count(DISTINCT run_id) "
                       "FROM raw.ingest_ledger").fetchall() == [(0, 1)]
    con.close()
    # both runs are in the instance the UI reads
    instance = DagsterInstance.from_config(str(home))
    assert len(instance.get_runs()) == 2


def test_the_instance_lets_one_run_be_in_progress_whatever_launched_it(tmp_path):
    """A limit on runs, not on a tag: assets picked by hand in the UI launch Dagster's implicit asset job, which
    carries no tag of ours (tests/test_webserver.py launches one and finds it queued)."""
    (tmp_path / "dagster.yaml").write_text((PROJECT_ROOT / "orchestration" / "instance" / "dagster.yaml").read_text())
    queue = DagsterInstance.from_config(str(tmp_path)).get_concurrency_config().run_queue_config
    assert queue.max_concurrent_runs == 1 and not queue.tag_concurrency_limits


def test_a_reader_during_a_run_waits_then_names_the_run(tmp_path):
    db = tmp_path / "wh.duckdb"
    duckdb.connect(str(db)).close()
    with warehouse_lock(db, holder="Dagster run 1234"):
        started = time.monotonic()
        done = subprocess.run([str(PROJECT_ROOT / ".venv" / "bin" / "coopmetrics"), "sql", "select 1"],
                              cwd=PROJECT_ROOT, env=env_for(db, COOPMETRICS_READ_WAIT="1"), capture_output=True,
                              text=True, timeout=120)
    assert done.returncode == 1
    assert f"pid {os.getpid()}, Dagster run 1234, since " in done.stderr
    assert "waited 1 s. Read again when it has finished" in done.stderr
    assert time.monotonic() - started >= 1


def test_a_run_waits_for_the_readers_of_the_moment(tmp_path):
    db = tmp_path / "wh.duckdb"
    env = env_for(db)
    subprocess.run([sys.executable, "-c", "from orchestration.core.warehouse import connect; from pathlib import Path;"
                    f"connect(Path({str(db)!r})).close()"], cwd=PROJECT_ROOT, env=env, check=True)
    with reader_lock(db):
        run = subprocess.Popen([sys.executable, "-c", CLI_INGEST], cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
        reader = duckdb.connect(str(db), read_only=True)  # a reader's open file keeps any writer out
        time.sleep(8)
        assert reader.execute("SELECT count(*) FROM raw.events").fetchall() == [(0,)]
        reader.close()
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, err[-2000:]
    assert "STORED 320 True" in out


def test_a_run_that_may_not_wait_says_who_holds_the_warehouse(tmp_path):
    db = tmp_path / "wh.duckdb"
    with warehouse_lock(db, wait_seconds=0):
        holder = subprocess.run(
            [sys.executable, "-c", "from pathlib import Path; from orchestration.core.locking import warehouse_lock\n"
             f"with warehouse_lock(Path({str(db)!r}), wait_seconds=0.5): pass"],
            cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert holder.returncode == 1
    assert f"the warehouse {db} is in use by another coopmetrics run (pid {os.getpid()}, since " in holder.stderr
    with warehouse_lock(db, wait_seconds=0):  # released: free again
        pass
    with warehouse_lock(db, wait_seconds=0), pytest.raises(WarehouseBusy):
        with warehouse_lock(db, wait_seconds=0):  # a second handle, even in this process, must wait
            pass
    with reader_lock(db, wait_seconds=0), reader_lock(db, wait_seconds=0):  # readers share
        with pytest.raises(WarehouseBusy):
            with warehouse_lock(db, wait_seconds=0):
                pass
