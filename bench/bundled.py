"""The bundled sample's second `coopmetrics run` (nothing new) against the
time a fresh process takes to import the stack it stands on (dagster,
dagster-dbt, dbt, great_expectations): what a run costs beyond what no run
can avoid. Beside them, the floor under such a run (bench/clock_floor.py:
one stock dagster-dbt step rebuilding what moves with the clock, nothing
else). Each is a whole process, timed three times, medians compared."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.memory import OUT
from bench.pipeline import new_workspace, timed_run
from orchestration.core.settings import DEFAULT_REGISTRY

STACK_IMPORT = "import dagster, dagster_dbt, dbt.cli.main, great_expectations"
TIMES = 3
# the second run of the bundled sample within this many times the stack's import
TARGET_RATIO = 2.0


def _import_seconds() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", STACK_IMPORT], check=True, capture_output=True)
    return time.perf_counter() - started


def _floor_seconds(workspace: Path) -> float:
    started = time.perf_counter()
    arguments = [workspace / "warehouse" / "coopmetrics.duckdb", workspace / "dagster_home", workspace / "floor_target"]
    done = subprocess.run([sys.executable, "-m", "bench.clock_floor", *map(str, arguments)],
                          check=True, capture_output=True, text=True)
    if '"success": true' not in done.stdout:
        raise RuntimeError(f"the floor's run failed:\n{done.stderr[-2000:]}")
    return time.perf_counter() - started


def _run_seconds(workspace: Path) -> float:
    run = timed_run(workspace)
    if run.exit_code:
        raise RuntimeError(f"coopmetrics run on the bundled sample exited {run.exit_code}")
    return run.seconds


def bundled_bench() -> tuple[float, float, float]:
    """(median second run, median stack import, median floor) in seconds; prints the lines."""
    print("\n== the bundled sample's run with nothing new against importing the stack ==", flush=True)
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        workspace = new_workspace(Path(tmp), DEFAULT_REGISTRY.parent)
        first = _run_seconds(workspace)
        _floor_seconds(workspace)  # dbt's first parse into the floor's own target folder
        again, imports, floors = [], [], []
        for _ in range(TIMES):  # paired, alternating: the machine's drift falls on all alike
            again.append(_run_seconds(workspace))
            imports.append(_import_seconds())
            floors.append(_floor_seconds(workspace))
    run_s, import_s, floor_s = statistics.median(again), statistics.median(imports), statistics.median(floors)
    print(f"first run {first:.1f} s; second run {run_s:.1f} s (runs {', '.join(f'{s:.1f}' for s in again)}); "
          f"importing the stack {import_s:.1f} s; ratio {run_s / import_s:.2f}x (target {TARGET_RATIO:.0f}x)",
          flush=True)
    print(f"the floor, one stock dagster-dbt step rebuilding what moves with the clock and nothing else: "
          f"{floor_s:.1f} s (runs {', '.join(f'{s:.1f}' for s in floors)}), {floor_s / import_s:.2f}x the import",
          flush=True)
    return run_s, import_s, floor_s
