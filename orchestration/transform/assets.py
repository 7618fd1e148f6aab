"""Every dbt model as a Dagster asset (dbt tests as asset checks), downstream
of the ingest asset through the dbt source raw.events."""


import contextlib
import hashlib
import json
import os
import signal
import subprocess
from collections.abc import Iterator
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any

from dagster import (
    AssetCheckResult,
    AssetExecutionContext,
    AssetObservation,
    AssetsDefinition,
    Config,
    TableColumn,
    TableSchema,
)
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets
from packaging import version
from pydantic import Field

from orchestration.core.check_results import record_check
from orchestration.core.faults import fault_point
from orchestration.core.resources import Warehouse
from orchestration.core.settings import VERBOSE_ENV, WAREHOUSE_ENV
from orchestration.core.warehouse import sql_identifier
from orchestration.transform.builds import (
    arm_incremental_models,
    arm_key_tests,
    build_finished,
    build_started,
    catalogue_models,
    disarm_dbt_bounds,
)
from orchestration.transform.project import dbt_project


class PinnedDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt resource without two costs this project does not need
    on every invocation: `dbt --version` in a subprocess (ours is always the
    pinned dbt-core beside this Python, see settings.dbt_executable) and an
    in-process dbt adapter (mostly imports), which dagster-dbt uses only for
    its column-metadata and row-count fetchers, not used here. What each
    saves is in the README's performance section."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):  # noqa: ANN001, ANN202 - dagster-dbt's signature
        return None


class TransformConfig(Config):
    as_of: str | None = Field(
        default=None,
        description="Rebuild the marts as known at this instant (ISO 8601, UTC); default: now.",
    )
    full_refresh: bool = Field(default=False, description="Rebuild incremental models from all events.")


class CoopTranslator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props: dict[str, Any]) -> str | None:
        """The model's layer: its folder (staging, intermediate, marts)."""
        fqn = dbt_resource_props.get("fqn") or []
        return fqn[1] if len(fqn) > 2 else "transform"

    def get_description(self, dbt_resource_props: dict[str, Any]) -> str:
        """The model's dbt description, never its SQL (that is one click away in the dbt docs)."""
        return " ".join(str(dbt_resource_props.get("description") or "").split()) or (
            f"dbt {dbt_resource_props.get('resource_type', 'model')} {dbt_resource_props.get('name')}")

    def get_owners(self, dbt_resource_props: dict[str, Any]) -> list[str] | None:
        return ["team:data-engineering"]


translator = CoopTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


def dbt_vars(config: TransformConfig) -> dict[str, Any]:
    return {"as_of": config.as_of} if config.as_of else {}


STAGING = "staging"  # the models/staging folder (dbt matches the fqn part)


def target_path_for(warehouse: Warehouse) -> Path:
    """One dbt target folder per warehouse (not dagster-dbt's folder per
    invocation), so dbt's partial parse carries over from one invocation to
    the next instead of a full re-parse each time. Runs
    on one warehouse are serialised by its lock, so they never share it
    concurrently."""
    digest = hashlib.sha256(str(warehouse.file).encode()).hexdigest()[:12]
    return Path(dbt_project.project_dir) / "target" / "warehouses" / digest


def _quiet_unless_verbose(events: Iterator[Any]) -> Iterator[Any]:
    """dagster-dbt echoes each of dbt's log lines on stdout while it reads
    the next event: a line per model and test, hundreds a run. Kept only with
    COOPMETRICS_VERBOSE (`--verbose`); the run's progress says the rest."""
    if os.environ.get(VERBOSE_ENV):
        yield from events
        return
    iterator = iter(events)
    while True:
        with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
            event = next(iterator, None)
        if event is None:
            return
        yield event


def _end(process: subprocess.Popen, grace: float = 10.0) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)  # dbt's own graceful stop
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _build(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse,
           config: TransformConfig, recorded: AssetsDefinition | None = None) -> Iterator[Any]:
    """`dbt build` of the op's selection; every dbt test result is also kept
    in quality.check_results. The build of a `recorded` step (its whole
    definition, not the subset a run selected) is entered in
    quality.model_builds (transform/builds.py) when it starts and ends."""
    # dbt's profile reads the same variable as every other component
    os.environ[WAREHOUSE_ENV] = str(warehouse.file)
    whole = recorded is not None and set(context.selected_asset_keys) >= set(recorded.keys)
    with contextlib.closing(warehouse.connect()) as con:
        arm_key_tests(con, config.full_refresh)
        if recorded is not None:
            build_started(con, context.run_id, whole)
            arm_incremental_models(con, context.run_id, config.full_refresh, config.as_of)
    # unit tests check the models' code on fixed inputs, not the data: `make test` and the Spark parity
    # build run them (tests/test_dbt_unit_tests.py), a run of the pipeline does not pay for them again
    args = ["build", "--exclude-resource-type", "unit_test", "--vars", json.dumps(dbt_vars(config))]
    if config.full_refresh:
        args.append("--full-refresh")
    results: list[AssetCheckResult] = []
    try:
        invocation = dbt.cli(args, context=context, target_path=target_path_for(warehouse))
    except BaseException:
        with contextlib.closing(warehouse.connect()) as con:  # dbt never ran: its bounds must not outlive it
            disarm_dbt_bounds(con)
        raise
    try:
        for event in _quiet_unless_verbose(invocation.stream()):
            if isinstance(event, AssetCheckResult) and event.asset_key is not None:
                results.append(event)
            fault_point(f"{context.op_def.name}.terminate")  # while dbt is still running
            yield event
        if recorded is not None:
            step = {key.path[-1] for key in recorded.keys}
            selected = {key.path[-1] for key in context.selected_asset_keys}
            rebuilt_catalogue = set(catalogue_models(Path(dbt_project.manifest_path))) & step <= selected
            with contextlib.closing(warehouse.connect()) as con:
                build_finished(con, context.run_id, whole, config.as_of, rebuilt_catalogue)
    except BaseException:
        # interrupted (a run told to stop): dbt must not outlive its step, nor hold the warehouse
        _end(invocation.process)
        raise
    finally:
        # dbt holds the warehouse while it runs: the history is written after it
        con = warehouse.connect()
        try:
            disarm_dbt_bounds(con)
            for result in results:
                record_check(con, context.run_id, result.asset_key.path, result.check_name or "dbt_test", result)
            observations = table_observations(con, context.selected_asset_keys)
        finally:
            con.close()
    yield from observations


def table_observations(con, keys) -> list[AssetObservation]:  # noqa: ANN001 - a DuckDB connection, asset keys
    """Row count and column schema of each table the step built, for the UI
    (views are left out: counting one reads what it selects from)."""
    tables = {(schema, name): [] for schema, name in con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'").fetchall()}
    for schema, name, column, data_type in con.execute(
            "SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns "
            "ORDER BY table_schema, table_name, ordinal_position").fetchall():
        if (schema, name) in tables:
            tables[(schema, name)].append(TableColumn(column, data_type))
    out = []
    for key in sorted(keys, key=lambda k: k.path):
        relation = tuple(key.path[-2:])
        if len(key.path) == 2 and relation in tables:
            rows = con.execute(f"SELECT count(*) FROM {sql_identifier(relation[0])}.{sql_identifier(relation[1])}"
                               ).fetchall()[0][0]
            out.append(AssetObservation(asset_key=key, metadata={
                "dagster/row_count": rows, "dagster/column_schema": TableSchema(columns=tables[relation])}))
    return out


# Staging is its own step so that the checks on it (dbt tests and the GX
# staging suite) can block the intermediate models and marts: checks outside
# a dbt step only run once that step has built everything it selects.
@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=translator, select=STAGING,
            name="dbt_staging")
def dbt_staging(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse,
                config: TransformConfig) -> Iterator[Any]:
    yield from _build(context, dbt, warehouse, config)


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=translator, exclude=STAGING,
            name="dbt_models")
def dbt_models(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse,
               config: TransformConfig) -> Iterator[Any]:
    yield from _build(context, dbt, warehouse, config, recorded=dbt_models)
