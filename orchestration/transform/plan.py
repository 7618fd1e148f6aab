"""What a dbt step builds with: the bounds dbt needs (the event_seq from
which the tables kept by touched keys are updated, and the one up to which
the key tests take rows as tested), the as-of and the warehouse, read off
the build bookkeeping before dbt starts and passed to it as --vars.
Nothing is written for dbt to read back: dbt run by hand gets the vars'
defaults (build whole, test every row) and the profile's warehouse."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.transform.builds import build_started, built_through, keys_checked_through


@dataclass(frozen=True)
class BuildPlan:
    warehouse: Path
    as_of: str | None = None
    full_refresh: bool = False
    built_through: int = 0  # 0: the tables kept by touched keys are built whole
    keys_checked_through: int = 0  # 0: the key tests read every row


def dbt_vars(plan: BuildPlan) -> dict[str, object]:
    """The --vars of the dbt invocation: the profile's warehouse, the bounds, the as-of when one is given."""
    found: dict[str, object] = {"warehouse": str(plan.warehouse), "built_through": plan.built_through,
                                "keys_checked_through": plan.keys_checked_through}
    if plan.as_of:
        found["as_of"] = plan.as_of
    return found


def build_args(plan: BuildPlan) -> list[str]:
    """`dbt build` of the step's selection (dagster-dbt adds it). Unit tests check the models' code on
    fixed inputs, not the data: `make test` and the Spark parity build run them, a pipeline run does not."""
    # dagster-dbt reads dbt's JSON log, never a terminal: no colour codes in its messages
    args = ["build", "--no-use-colors", "--exclude-resource-type", "unit_test",
            "--vars", json.dumps(dbt_vars(plan), sort_keys=True)]
    return [*args, "--full-refresh"] if plan.full_refresh else args


def plan_build(con: duckdb.DuckDBPyConnection, warehouse: Path, run_id: str, as_of: str | None,
               full_refresh: bool, whole: bool, digest: str) -> BuildPlan:
    """The plan of the dbt step, entered as a build under way, from the bound it updates its tables from;
    `digest` is the code's and the registry's (builds.inputs_digest), hashed once a step."""
    through = built_through(con, full_refresh, as_of, digest)
    plan = BuildPlan(warehouse=warehouse, as_of=as_of, full_refresh=full_refresh, built_through=through,
                     keys_checked_through=keys_checked_through(con, full_refresh, digest))
    build_started(con, run_id, whole, through)
    return plan
