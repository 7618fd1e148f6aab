"""The whole pipeline at size: a bulk consortium (8 organisations, NDJSON,
CSV and Parquet, 1% defects, late files) through `coopmetrics run` into a
fresh warehouse, then a delivery of 1% more of recent days, then a run with
nothing new, then a delivery of 1% late events spread over old months.
Each run is its own process tree, whose resident memory is sampled
(psutil) for its peak; each stage's wall time and figures come from the
run's stage log (COOPMETRICS_STAGE_LOG)."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.memory import run_sampled
from bench.pipeline_table import RunFigures, print_pipeline_table
from bench.tag_share import print_tag_shares
from orchestration.core.settings import INSTANCE_YAML, PEPPER_ENV, REGISTRY_ENV, STAGE_LOG_ENV, WAREHOUSE_ENV
from orchestration.demo.bulk import generate_bulk_demo

OUT = Path(__file__).resolve().parent / "out"
DELIVERY_SHARE = LATE_SHARE = 0.01
# the targets of a full run at 10M events on 2 cores; the others are shares of the full run
FULL_RUN_SECONDS, PEAK_MB, BUT_INGEST_SECONDS = 120, 2048, 70
SHARE_TARGETS = {"1% delivery": 0.10, "nothing new": 0.05, "late events": 0.20}


def bulk_demo(events: int) -> Path:
    """The cached consortium of that size (its folder holds registry.yml, landing/, delivery/ and late/)."""
    folder = OUT / f"bulk-{events}"
    if not (folder / "registry.yml").exists() or not (folder / "late").is_dir():
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        summary = generate_bulk_demo(folder, events=events, delivery_share=DELIVERY_SHARE, late_share=LATE_SHARE)
        print(f"generated {summary.events:,} events and {summary.defects:,} defects in {folder} "
              f"in {time.perf_counter() - started:.1f} s", flush=True)
    return folder


def _link_tree(source: Path, target: Path) -> None:
    """Hard links: the runs read the cached files in place, and nothing of a run changes the cache."""
    for path in sorted(source.rglob("*")):
        if path.is_file():
            (target / path.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            os.link(path, target / path.relative_to(source))


def new_workspace(workspace: Path, consortium: Path) -> Path:
    """A fresh warehouse and Dagster instance for the consortium's registry.yml and landing/ (linked)."""
    shutil.copy(consortium / "registry.yml", workspace / "registry.yml")
    (workspace / "dagster_home").mkdir()
    shutil.copy(INSTANCE_YAML, workspace / "dagster_home" / "dagster.yaml")
    _link_tree(consortium / "landing", workspace / "landing")
    return workspace


def timed_run(workspace: Path) -> RunFigures:
    log = workspace / "stages.jsonl"
    log.unlink(missing_ok=True)
    env = {**os.environ, REGISTRY_ENV: str(workspace / "registry.yml"),
           WAREHOUSE_ENV: str(workspace / "warehouse" / "coopmetrics.duckdb"), STAGE_LOG_ENV: str(log),
           PEPPER_ENV: "bench-pepper-not-a-secret-0123456789", "DAGSTER_HOME": str(workspace / "dagster_home"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    started = time.perf_counter()
    exit_code, samples, _, errors = run_sampled([str(Path(sys.executable).parent / "coopmetrics"), "run"], env=env)
    seconds = time.perf_counter() - started
    if exit_code:
        print(f"coopmetrics run exited {exit_code}:\n{errors[-2000:]}", file=sys.stderr)
    stages = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    for stage in stages:  # the stage's own peak: the samples taken while it ran
        during = [rss for at, rss in samples if stage["ended_at"] - stage["seconds"] <= at <= stage["ended_at"]]
        stage["peak_mb"] = max(during, default=0) / 2**20
    return RunFigures(seconds, max(rss for _, rss in samples) / 2**20, exit_code, stages)


def pipeline_bench(events: int) -> list[RunFigures]:
    """Full run, a 1% delivery, nothing new, 1% late events; prints the table and returns the figures."""
    demo = bulk_demo(events)
    print(f"\n== the whole pipeline: {events:,} events, then {DELIVERY_SHARE:.0%} more, then nothing new, "
          f"then {LATE_SHARE:.0%} late events ==", flush=True)
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        workspace = new_workspace(Path(tmp), demo)
        runs = [timed_run(workspace)]
        print_tag_shares(workspace / "warehouse" / "coopmetrics.duckdb")
        _link_tree(demo / "delivery", workspace / "landing")
        runs += [timed_run(workspace), timed_run(workspace)]
        _link_tree(demo / "late", workspace / "landing")
        runs.append(timed_run(workspace))
    print_table(runs)
    return runs


def print_table(runs: list[RunFigures]) -> None:
    print_pipeline_table(runs, {"full run": FULL_RUN_SECONDS, "peak MB": PEAK_MB, "but ingest": BUT_INGEST_SECONDS,
                                **SHARE_TARGETS})
