"""The bundled sample's second `coopmetrics run` (nothing new) against the
time a fresh process takes to import the stack it stands on (dagster,
dagster-dbt, dbt, great_expectations): what a run costs beyond what no run
can avoid. Both are whole processes, timed three times, medians compared."""

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


def _run_seconds(workspace: Path) -> float:
    run = timed_run(workspace)
    if run.exit_code:
        raise RuntimeError(f"coopmetrics run on the bundled sample exited {run.exit_code}")
    return run.seconds


def bundled_bench() -> tuple[float, float]:
    """(median second run, median stack import) in seconds; prints the line."""
    print("\n== the bundled sample's run with nothing new against importing the stack ==", flush=True)
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        workspace = new_workspace(Path(tmp), DEFAULT_REGISTRY.parent)
        first = _run_seconds(workspace)
        again, imports = [], []
        for _ in range(TIMES):  # paired, alternating: the machine's drift falls on both alike
            again.append(_run_seconds(workspace))
            imports.append(_import_seconds())
    run_s, import_s = statistics.median(again), statistics.median(imports)
    print(f"first run {first:.1f} s; second run {run_s:.1f} s (runs {', '.join(f'{s:.1f}' for s in again)}); "
          f"importing the stack {import_s:.1f} s; ratio {run_s / import_s:.2f}x (target {TARGET_RATIO:.0f}x)",
          flush=True)
    return run_s, import_s
