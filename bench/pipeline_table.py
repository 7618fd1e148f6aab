"""The end-to-end bench's figures of a run and their table: a row a stage, a column a run."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class RunFigures:
    seconds: float
    peak_mb: float
    exit_code: int
    stages: list[dict]


RUN_NAMES = ("full run", "1% delivery", "nothing new", "late events")


def _rows(stage: dict | None) -> str:
    if not stage or "rows_in" not in stage:
        return ""
    return f"{stage['rows_in']:,} -> {stage['stored']:,} stored, {stage['quarantined']:,} quarantined"


def print_pipeline_table(runs: list[RunFigures], targets: dict[str, float]) -> None:
    names = list(dict.fromkeys(s["stage"] for run in runs for s in run.stages))
    by_run = [{s["stage"]: s for s in run.stages} for run in runs]
    header = f"{'stage':<26}" + "".join(f"{name:>13}" for name in RUN_NAMES[: len(runs)])
    print(header + f"{'peak MB':>9}   rows in -> out (full run | delivery)")
    for name in names:
        cells = "".join(f"{run[name]['seconds']:>11.1f} s" if name in run else f"{'-':>13}" for run in by_run)
        peak = max(run[name].get("peak_mb", 0) for run in by_run if name in run)
        flow = " | ".join(filter(None, (_rows(run.get(name)) for run in by_run[:2])))
        print(f"{name:<26}{cells}{peak:>9,.0f}   {flow}")
    staged = [sum(s["seconds"] for s in run.stages) for run in runs]
    print(f"{'stages together':<26}" + "".join(f"{s:>11.1f} s" for s in staged))
    print(f"{'whole run (wall)':<26}" + "".join(f"{run.seconds:>11.1f} s" for run in runs)
          + "   (start-up, Dagster's planning and the Data Docs besides the stages)")
    print(f"{'peak RSS, process tree':<26}" + "".join(f"{run.peak_mb:>10,.0f} MB" for run in runs))
    full = runs[0].seconds
    print(f"{'share of the full run':<26}{'':>13}" + "".join(f"{run.seconds / full:>12.1%} " for run in runs[1:]))
    failed = [f"{RUN_NAMES[i]} exited {run.exit_code}" for i, run in enumerate(runs) if run.exit_code]
    ingest = next((s["seconds"] for s in runs[0].stages if s["stage"] == "ingest"), 0.0)
    verdicts = [
        f"full run {full:.0f} s (target {targets['full run']:.0f} s)",
        f"everything but ingest {full - ingest:.1f} s (target {targets['but ingest']:.0f} s)",
        *(f"{RUN_NAMES[i]} {run.seconds / full:.1%} of it (target {targets[RUN_NAMES[i]]:.0%})"
          for i, run in enumerate(runs[1:], start=1)),
        f"peak {max(r.peak_mb for r in runs):,.0f} MB (target {targets['peak MB']:,.0f} MB)",
    ]
    print("targets at 10M events on 2 cores: " + "; ".join(verdicts) + (f"; FAILED: {', '.join(failed)}"
                                                                         if failed else ""))
