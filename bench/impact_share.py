"""What the impact account costs in the dbt step of a full run: the execution
time of the models tagged `impact` (staging to marts) and of the tests on
them (data tests and unit tests), against that of every node the same dbt
invocation ran, from dbt's own run_results.json."""

from __future__ import annotations

import json
from pathlib import Path

from orchestration.core.resources import Warehouse
from orchestration.transform.assets import target_path_for

IMPACT_TAG = "impact"
TARGET_SHARE = 0.05


def _is_impact(node: dict, nodes: dict) -> bool:
    """A model tagged impact, or a test of one (a unit test's model, a data test's models: a relationships
    test from an impact mart to another counts as the impact account's)."""
    if node["resource_type"] == "model":
        return IMPACT_TAG in node["tags"]
    return any(IMPACT_TAG in nodes.get(t, {}).get("tags", []) for t in node.get("depends_on", {}).get("nodes", []))


def impact_share(warehouse_file: Path) -> dict[str, float]:
    """Seconds of the latest dbt invocation on the warehouse: impact models, their tests, every node."""
    target = target_path_for(Warehouse(path=str(warehouse_file)))
    manifest = json.loads((target / "manifest.json").read_text())
    nodes = {**manifest["nodes"], **manifest.get("unit_tests", {})}
    seconds = {"impact models": 0.0, "impact tests": 0.0, "every node": 0.0}
    for result in json.loads((target / "run_results.json").read_text())["results"]:
        node = nodes.get(result["unique_id"])
        if node is None:
            continue
        seconds["every node"] += result["execution_time"]
        if _is_impact(node, manifest["nodes"]):
            seconds["impact models" if node["resource_type"] == "model" else "impact tests"] += result["execution_time"]
    return seconds


def print_impact_share(warehouse_file: Path) -> None:
    seconds = impact_share(warehouse_file)
    total = seconds["every node"]
    spent = seconds["impact models"] + seconds["impact tests"]
    print(f"impact account: {seconds['impact models']:.1f} s of models and {seconds['impact tests']:.1f} s of their "
          f"tests, of the {total:.1f} s every node of the dbt models step took ({spent / total if total else 0:.1%}; "
          f"target below {TARGET_SHARE:.0%})", flush=True)
