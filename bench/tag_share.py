"""What a part of the marts costs in the dbt step of a full run: the
execution time of the models with its tag (the impact account: `impact`;
the community functions, health and social report: `community`) and of the
tests on them (data tests and unit tests), against that of every node the
same dbt invocation ran, from dbt's own run_results.json."""

from __future__ import annotations

import json
from pathlib import Path

from orchestration.core.resources import Warehouse
from orchestration.transform.assets import target_path_for

# tag -> (what it is, the share of the dbt step it must stay below)
TARGETS = {"impact": ("impact account", 0.05), "community": ("community functions, health and social report", 0.10)}


def _has_tag(node: dict, nodes: dict, tag: str) -> bool:
    """A model with the tag, or a test of one (a unit test's model, a data test's models: a relationships
    test from one of its marts to another counts as its)."""
    if node["resource_type"] == "model":
        return tag in node["tags"]
    return any(tag in nodes.get(t, {}).get("tags", []) for t in node.get("depends_on", {}).get("nodes", []))


def tag_share(warehouse_file: Path, tag: str) -> dict[str, float]:
    """Seconds of the latest dbt invocation on the warehouse: the tag's models, their tests, every node."""
    target = target_path_for(Warehouse(path=str(warehouse_file)))
    manifest = json.loads((target / "manifest.json").read_text())
    nodes = {**manifest["nodes"], **manifest.get("unit_tests", {})}
    seconds = {"models": 0.0, "tests": 0.0, "every node": 0.0}
    for result in json.loads((target / "run_results.json").read_text())["results"]:
        node = nodes.get(result["unique_id"])
        if node is None:
            continue
        seconds["every node"] += result["execution_time"]
        if _has_tag(node, manifest["nodes"], tag):
            seconds["models" if node["resource_type"] == "model" else "tests"] += result["execution_time"]
    return seconds


def print_tag_shares(warehouse_file: Path) -> None:
    for tag, (name, target) in TARGETS.items():
        seconds = tag_share(warehouse_file, tag)
        total = seconds["every node"]
        spent = seconds["models"] + seconds["tests"]
        print(f"{name}: {seconds['models']:.1f} s of models and {seconds['tests']:.1f} s of their tests, of the "
              f"{total:.1f} s every node of the dbt models step took ({spent / total if total else 0:.1%}; "
              f"target below {target:.0%})", flush=True)
