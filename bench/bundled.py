"""The bundled sample's second `coopmetrics run` (nothing new) against the
time a fresh process takes to import the stack it stands on (dagster,
dagster-dbt, dbt, great_expectations): what a run costs beyond what no run
can avoid. Both are whole processes, timed three times, medians compared."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.memory import OUT
from orchestration.core.settings import DEFAULT_REGISTRY, INSTANCE_YAML, REGISTRY_ENV, WAREHOUSE_ENV

STACK_IMPORT = "import dagster, dagster_dbt, dbt.cli.main, great_expectations"
TIMES = 3
# the second run of the bundled sample within this many times the stack's import
TARGET_RATIO = 2.0


def _seconds(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return seconds


def bundled_bench() -> tuple[float, float]:
    """(median second run, median stack import) in seconds; prints the line."""
    print("\n== the bundled sample's run with nothing new against importing the stack ==", flush=True)
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        workspace = Path(tmp)
        (workspace / "dagster_home").mkdir()
        shutil.copy(INSTANCE_YAML, workspace / "dagster_home" / "dagster.yaml")
        env = {**os.environ, REGISTRY_ENV: str(DEFAULT_REGISTRY),
               WAREHOUSE_ENV: str(workspace / "warehouse" / "coopmetrics.duckdb"),
               "DAGSTER_HOME": str(workspace / "dagster_home")}
        run = [str(Path(sys.executable).parent / "coopmetrics"), "run"]
        first = _seconds(run, env)
        again, imports = [], []
        for _ in range(TIMES):  # paired, alternating: the machine's drift falls on both alike
            again.append(_seconds(run, env))
            imports.append(_seconds([sys.executable, "-c", STACK_IMPORT], env))
    run_s, import_s = statistics.median(again), statistics.median(imports)
    print(f"first run {first:.1f} s; second run {run_s:.1f} s (runs {', '.join(f'{s:.1f}' for s in again)}); "
          f"importing the stack {import_s:.1f} s; ratio {run_s / import_s:.2f}x (target {TARGET_RATIO:.0f}x)",
          flush=True)
    return run_s, import_s
