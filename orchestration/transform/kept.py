"""What a dbt step keeps: the models that stand as the latest current build
made them, decided inside the step from the store, the code and the
registry (transform/builds.py), so that every launch (the CLI, the UI, a
schedule, a sensor) takes the same decision in its one run.

A kept mart is still yielded, as an output carrying its previous data
version and why it was kept: what reads it outside the step then runs,
since Dagster skips a step whose upstream output never came. Its checks
restate the verdict they last gave (quality.check_results) instead of
judging the same table again. A kept staging or intermediate model, read
by nothing outside the step, is simply left as its latest materialisation."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
from dagster import (
    AssetCheckKey,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetKey,
    BetaWarning,
    DagsterInstance,
    DataVersion,
    Output,
)

from orchestration.core.asset_keys import KEPT_METADATA, RESTATED_METADATA
from orchestration.core.warehouse import run_sql, sql_text
from orchestration.transform.builds import catalogue_models, clock_models, read_manifest, settled_build

SQL = Path(__file__).parent / "sql"
DATA_VERSION_TAG = "dagster/data_version"
# the layers assets outside the dbt step read (the extracts, the report, the catalog, the marts suites):
# a kept model of these is yielded, since Dagster skips a step whose upstream output never came
READ_OUTSIDE = ("marts",)


@dataclass(frozen=True)
class Kept:
    models: tuple[str, ...]  # in the order dbt builds them
    reason: str


def _models(manifest: dict) -> dict[str, set[str]]:
    """Each model's unique_id -> the models it reads."""
    nodes = manifest["nodes"]
    return {key: {parent for parent in node["depends_on"]["nodes"] if parent in nodes
                  and nodes[parent]["resource_type"] == "model"}
            for key, node in nodes.items() if node["resource_type"] == "model"}


def kept_models(con: duckdb.DuckDBPyConnection, manifest_path: Path, as_of: str | None,
                full_refresh: bool, digest: str) -> Kept | None:
    """The models a build now keeps, or None when every model must be built: kept while the latest current
    build stands (builds.settled_build), but for the models that move with the clock, those that read the
    impact catalogue when only it moved, and every model that reads one of them."""
    if as_of or full_refresh:
        return None
    settled = settled_build(con, digest=digest)
    moved = None if settled else settled_build(con, catalogue=False, digest=digest)
    if not (settled or moved):
        return None
    manifest = read_manifest(manifest_path)
    parents = _models(manifest)
    names = {key: manifest["nodes"][key]["name"] for key in parents}
    clock = clock_models(manifest_path)
    roots = set(clock) | (set(catalogue_models(manifest_path)) if moved else set())
    rebuilt: set[str] = set()
    order = []  # parents first: each model is rebuilt when it is a root or reads one rebuilt
    for key in TopologicalSorter(parents).static_order():
        if names[key] in roots or parents[key] & rebuilt:
            rebuilt.add(key)
        else:
            order.append(names[key])
    reason = (f"nothing new since run {settled}: rebuilt the {len(clock)} models that move with the clock and "
              "what reads them" if settled else
              f"only the impact catalogue changed since run {moved}: rebuilt the models that read it, the "
              f"{len(clock)} that move with the clock and what reads them")
    return Kept(tuple(order), reason)


def kept_outputs(context: AssetExecutionContext, keys: list[AssetKey], reason: str) -> Iterator[Output]:
    """An output a kept model's asset, with the data version of its latest materialization."""
    for key in keys:
        latest = context.instance.get_latest_materialization_event(key)
        version = latest.asset_materialization.tags.get(DATA_VERSION_TAG) if latest and \
            latest.asset_materialization else None
        with warnings.catch_warnings():  # an output's data version is Dagster's public, beta API
            warnings.simplefilter("ignore", BetaWarning)
            output = Output(None, output_name=context.assets_def.get_output_name_for_asset_key(key),
                            data_version=DataVersion(version) if version else None,
                            metadata={KEPT_METADATA: reason})
        yield output


def kept_in_run(instance: DagsterInstance, run_id: str, keys: Iterable[AssetKey]) -> set[AssetKey]:
    """The assets among `keys` that the run `run_id` kept."""
    found = set()
    for key in keys:
        latest = instance.get_latest_materialization_event(key)
        if latest is not None and latest.run_id == run_id and latest.asset_materialization and \
                KEPT_METADATA in latest.asset_materialization.metadata:
            found.add(key)
    return found


def restated_checks(con: duckdb.DuckDBPyConnection, checks: Iterable[AssetCheckKey]) -> list[AssetCheckResult]:
    """The latest verdict of each check (on a kept model: the table it judged is the same), said again."""
    checks = list(checks)
    if not checks:
        return []
    wanted = {("/".join(check.asset_key.path), check.name): check for check in checks}
    rows = run_sql(con, sql_text("latest_check_results.sql", SQL), {"assets": sorted({a for a, _ in wanted})})
    results = []
    for asset, name, run_id, status, message in rows:
        check = wanted.get((asset, name))
        if check is None:
            continue
        results.append(AssetCheckResult(
            asset_key=check.asset_key, check_name=check.name, passed=status == "passed",
            severity=AssetCheckSeverity.ERROR if status == "failed_error" else AssetCheckSeverity.WARN,
            description=f"kept: the table is as run {run_id} checked it: {message or status}"[:2000],
            metadata={RESTATED_METADATA: run_id}))
    return results
