"""What the impact account costs in the dbt step of a full run: the execution
time of the models tagged `impact` (staging to marts) against that of every
model the same dbt invocation built, from dbt's own run_results.json."""

from __future__ import annotations

import json
from pathlib import Path

from orchestration.core.resources import Warehouse
from orchestration.transform.assets import target_path_for

IMPACT_TAG = "impact"
TARGET_SHARE = 0.05


def impact_share(warehouse_file: Path) -> tuple[float, float]:
    """(seconds of the impact models, seconds of every model) of the latest dbt invocation on the warehouse."""
    target = target_path_for(Warehouse(path=str(warehouse_file)))
    nodes = json.loads((target / "manifest.json").read_text())["nodes"]
    impact = total = 0.0
    for result in json.loads((target / "run_results.json").read_text())["results"]:
        node = nodes.get(result["unique_id"])
        if node is None or node["resource_type"] != "model":
            continue
        total += result["execution_time"]
        if IMPACT_TAG in node["tags"]:
            impact += result["execution_time"]
    return impact, total


def print_impact_share(warehouse_file: Path) -> None:
    impact, total = impact_share(warehouse_file)
    share = impact / total if total else float("nan")
    print(f"impact account: {impact:.1f} s of the {total:.1f} s the dbt step's models took ({share:.1%}; "
          f"target below {TARGET_SHARE:.0%})", flush=True)
