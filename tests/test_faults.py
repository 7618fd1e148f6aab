"""A run killed anywhere loses nothing and doubles nothing: `coopmetrics run`
on the bundled sample is killed at a named point (orchestration/core/faults.py:
SIGKILL, or SIGTERM where dbt is running so the CLI must end its child),
then run again; the event store conserves every record once, and the marts
and extracts equal those of a run that was never interrupted. The ten
points run in `make test-faults` (CI runs it beside `make test`); `make test`
runs the checks of how a child is ended."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.core.faults import FAULT_ENV
from orchestration.core.processes import descendants, ignores_sigterm
from orchestration.core.settings import DEFAULT_REGISTRY, PROJECT_ROOT

pytestmark = pytest.mark.slow
CLI = PROJECT_ROOT / ".venv" / "bin" / "coopmetrics"
AS_OF = "2100-01-01T00:00:00Z"  # after every ingestion: every run counts every event, durations end alike
POINTS = ["ingest.before_commit", "ingest.after_commit", "event_store_suite", "dbt_models.terminate",
          "dbt_models.before_recorded", "marts_suites", "reconciliations", "extracts.written",
          "extracts.before_publish"]


def run(db: Path, fault: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "COOPMETRICS_WAREHOUSE": str(db), "COOPMETRICS_REGISTRY": str(DEFAULT_REGISTRY)}
    env["DAGSTER_HOME"] = str(db.parent / "dagster_home")
    env.pop("COOPMETRICS_PEPPER", None)
    if fault:
        env[FAULT_ENV] = fault
    return subprocess.run([str(CLI), "run", "--as-of", AS_OF], cwd=PROJECT_ROOT, env=env, capture_output=True,
                          text=True, timeout=600)


def state(db: Path) -> dict[str, object]:
    """Everything a run must leave the same: each mart's rows, each extract
    file's hash, the store's keys and the ledger's totals."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        marts = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                           "WHERE table_schema = 'marts' ORDER BY 1").fetchall()]
        out: dict[str, object] = {m: con.execute(f"SELECT * FROM marts.{m} ORDER BY ALL").fetchall() for m in marts}
        # when the events were ingested differs from run to run, and says so
        out["mart_build_info"] = con.execute("SELECT as_of, effective_events FROM marts.mart_build_info").fetchall()
        out["events"] = con.execute("SELECT count(*), count(DISTINCT (org_id, event_id)) FROM raw.events").fetchall()
        out["quarantine"] = con.execute("SELECT reason, count(*) FROM raw.quarantine GROUP BY 1 ORDER BY 1").fetchall()
        out["conserved"] = con.execute(
            "SELECT sum(records_read) = sum(stored + duplicates + quarantined), sum(stored) = (SELECT count(*) "
            "FROM raw.events), sum(quarantined) = (SELECT count(*) FROM raw.quarantine) "
            "FROM raw.ingest_ledger").fetchall()
    finally:
        con.close()
    extracts = db.parent / "extracts"
    for partner in sorted(p.name for p in extracts.iterdir() if p.is_symlink() and p.name != "current"):
        manifest = json.loads((extracts / partner / "manifest.json").read_text())
        out[f"extract {partner}"] = [(f["path"], f["sha256"]) for f in manifest["files"]]
    out["left behind"] = sorted(p.name for p in (extracts / ".releases").iterdir())[1:] + sorted(
        p.name for p in extracts.glob(".*") if p.name != ".releases")
    return out


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory) -> dict[str, object]:
    db = tmp_path_factory.mktemp("uninterrupted") / "wh.duckdb"
    done = run(db)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return state(db)


def processes_on(db: Path) -> list[int]:
    """Processes whose environment names this warehouse (a dbt left behind)."""
    mine = f"COOPMETRICS_WAREHOUSE={db}".encode()
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if mine in environ.read_bytes().split(b"\0"):
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found


# each a whole run killed and one repairing it: `make test-faults`, not make test's five minutes
@pytest.mark.faults
@pytest.mark.parametrize("point", POINTS)
def test_a_run_killed_at_any_point_is_repaired_by_the_next(point, uninterrupted, tmp_path):
    db = tmp_path / "wh.duckdb"
    killed = run(db, fault=point)
    # a crash, or a run told to stop (Dagster turns SIGTERM into an interrupted run: exit 1)
    expected = {-signal.SIGKILL} if not point.endswith(".terminate") else {1, 128 + signal.SIGTERM}
    assert killed.returncode in expected, killed.stdout[-2000:] + killed.stderr[-2000:]
    assert processes_on(db) == [], "a child of the killed run is still running"
    again = run(db)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert state(db) == uninterrupted


def test_descendants_are_found_through_proc():
    child = subprocess.Popen(["sleep", "30"])
    try:
        assert child.pid in descendants(os.getpid())
    finally:
        child.kill()
        child.wait()


def test_a_process_that_ignores_sigterm_is_told_from_one_that_listens():
    """end_descendants kills those at once instead of waiting its grace for them."""
    deaf = subprocess.Popen(["sh", "-c", "trap '' TERM; exec sleep 30"])
    listening = subprocess.Popen(["sleep", "30"])
    try:
        deadline = time.monotonic() + 10
        while not ignores_sigterm(deaf.pid) and time.monotonic() < deadline:
            time.sleep(0.05)  # until the shell has set its trap and become sleep
        assert (ignores_sigterm(deaf.pid), ignores_sigterm(listening.pid)) == (True, False)
    finally:
        for child in (deaf, listening):
            child.kill()
            child.wait()


ORPHAN_SCRIPT = """
import os, subprocess, sys
from orchestration.core.processes import adopt_orphans, descendants, end_descendants
if sys.argv[1] == "adopt":
    adopt_orphans()
# a parent that leaves behind a child ignoring SIGTERM and SIGINT, as dbt leaves its resource tracker
shell = subprocess.run(["sh", "-c", "(trap '' TERM INT; exec sleep 30) >/dev/null 2>&1 & echo $!"],
                       capture_output=True, text=True)
orphan = int(shell.stdout)
found = orphan in descendants(os.getpid())
end_descendants(grace=0.5)
try:
    os.kill(orphan, 0)
    ended = False
except ProcessLookupError:
    ended = True
if not ended:
    os.kill(orphan, 9)
print(found, ended)
"""


@pytest.mark.parametrize(("mode", "expected"), [("adopt", "True True"), ("plain", "False False")])
def test_an_orphaned_grandchild_ignoring_sigterm_is_still_ended(mode, expected):
    """Without adopt_orphans the grandchild is re-parented to init: no longer a descendant, it would outlive the run."""
    done = subprocess.run([sys.executable, "-c", ORPHAN_SCRIPT, mode], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.stdout.split() == expected.split(), done.stderr
