"""Two runs started at once on one warehouse: the second waits for the
first, nothing is stored twice, the ledger still conserves; a run that may
not wait fails with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pytest

from orchestration.locking import WarehouseBusy, warehouse_lock
from orchestration.settings import DEFAULT_REGISTRY, PROJECT_ROOT

pytestmark = pytest.mark.slow

INGEST_ONLY = (
    "from dagster import AssetKey\n"
    "from orchestration.runner import run_pipeline\n"
    "r = run_pipeline(asset_selection=[AssetKey(['raw', 'events']), AssetKey(['raw', 'organisations'])])\n"
    "print('STORED', r.metadata['raw/events']['stored'], r.success)\n"
)


def test_two_runs_at_once_are_serialised(tmp_path):
    db = tmp_path / "wh.duckdb"
    env = {**os.environ, "COOPMETRICS_WAREHOUSE": str(db), "COOPMETRICS_REGISTRY": str(DEFAULT_REGISTRY)}
    env.pop("DAGSTER_HOME", None)
    runs = [subprocess.Popen([sys.executable, "-c", INGEST_ONLY], cwd=PROJECT_ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err[-2000:] for _, err in outputs]
    stored = sorted(line.split()[1] for out, _ in outputs for line in out.splitlines() if line.startswith("STORED"))
    assert stored == ["0", "296"]
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*), count(DISTINCT (org_id, event_id)) FROM raw.events").fetchall() == [(296, 296)]
    assert con.execute("SELECT sum(records_read) - sum(stored + duplicates + quarantined) "
                       "FROM raw.ingest_ledger").fetchall() == [(0,)]
    con.close()


def test_a_run_that_may_not_wait_says_who_holds_the_warehouse(tmp_path):
    db = tmp_path / "wh.duckdb"
    with warehouse_lock(db, wait_seconds=0):
        holder = subprocess.run(
            [sys.executable, "-c", "from pathlib import Path; from orchestration.locking import warehouse_lock\n"
             f"with warehouse_lock(Path({str(db)!r}), wait_seconds=0.5): pass"],
            cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert holder.returncode == 1
    assert f"the warehouse {db} is in use by another coopmetrics run (pid {os.getpid()}); waited 0 s" in holder.stderr
    with warehouse_lock(db, wait_seconds=0):  # released: free again
        pass
    with warehouse_lock(db, wait_seconds=0), pytest.raises(WarehouseBusy):
        with warehouse_lock(db, wait_seconds=0):  # a second handle, even in this process, must wait
            pass
