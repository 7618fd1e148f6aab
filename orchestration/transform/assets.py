"""Every dbt model as a Dagster asset of one step (dbt tests as asset
checks), downstream of the ingest asset through the dbt source raw.events."""


import contextlib
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dagster import (
    AssetCheckResult,
    AssetExecutionContext,
    AssetObservation,
    Config,
    TableColumn,
    TableSchema,
)
from dagster_dbt import (
    DagsterDbtCliRuntimeError,
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)
from pydantic import Field

from orchestration.core.check_results import record_check
from orchestration.core.faults import fault_point
from orchestration.core.resources import Warehouse
from orchestration.core.warehouse import sql_identifier
from orchestration.transform.builds import build_finished, catalogue_models, inputs_digest
from orchestration.transform.column_types import committed_column_types, relation_columns
from orchestration.transform.kept import READ_OUTSIDE, kept_models, kept_outputs, restated_checks
from orchestration.transform.payload_failures import explained, is_payload_failure
from orchestration.transform.plan import build_args, plan_build
from orchestration.transform.project import dbt_project


class TransformConfig(Config):
    as_of: str | None = Field(
        default=None,
        description="Rebuild the marts as known at this instant (ISO 8601, UTC); default: now.",
    )
    full_refresh: bool = Field(default=False, description="Rebuild incremental models from all events.")
    dbt_log_on_stdout: bool = Field(
        default=True,
        description="dagster-dbt writes each of dbt's log lines on stdout (the step's compute log in the UI); "
                    "`coopmetrics run` keeps them only with --verbose, its stage lines say the rest.",
    )


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

    def get_metadata(self, dbt_resource_props: dict[str, Any]) -> dict[str, Any]:
        """dagster-dbt's metadata, the column schema every column of the model as built, typed from
        dbt_project/column_types.json (transform/column_types.py) and described from its yml."""
        metadata = dict(super().get_metadata(dbt_resource_props))
        types = committed_column_types().get(dbt_resource_props["name"]) \
            if dbt_resource_props.get("resource_type") == "model" else None
        if types:
            described = dbt_resource_props.get("columns") or {}
            metadata["dagster/column_schema"] = TableSchema(columns=[
                TableColumn(name, data_type, description=(described.get(name) or {}).get("description"),
                            tags={tag: "" for tag in (described.get(name) or {}).get("tags", [])})
                for name, data_type in types.items()])
        return metadata


translator = CoopTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


def target_path_for(warehouse: Warehouse) -> Path:
    """One dbt target folder per warehouse (not dagster-dbt's folder per
    invocation), so dbt's partial parse carries over from one invocation to
    the next instead of a full re-parse each time. Runs
    on one warehouse are serialised by its lock, so they never share it
    concurrently."""
    digest = hashlib.sha256(str(warehouse.file).encode()).hexdigest()[:12]
    return Path(dbt_project.project_dir) / "target" / "warehouses" / digest


def _without_stdout(events: Iterator[Any]) -> Iterator[Any]:
    """The events, with what is written on stdout while each is read discarded."""
    iterator = iter(events)
    while True:
        with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
            event = next(iterator, None)
        if event is None:
            return
        yield event


def _build(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse,
           config: TransformConfig) -> Iterator[Any]:
    """`dbt build` of the selection but what the step keeps (transform/kept.py), with the bounds of its plan
    (transform/plan.py) as --vars; every dbt test result is also kept in quality.check_results. The build
    is entered in builds.model_builds when it starts and ends: whole when it built every model, not the
    subset a run selected or what it kept. A kept mart is yielded (what is outside the step reads it), a
    kept staging or intermediate model is left as its latest materialisation."""
    manifest = Path(dbt_project.manifest_path)
    selected = {key.path[-1]: key for key in context.selected_asset_keys}
    digest = inputs_digest()  # the code this build runs, hashed once: what it is entered as built with
    with contextlib.closing(warehouse.connect()) as con:
        kept = kept_models(con, manifest, config.as_of, config.full_refresh, digest)
        keep = [selected[name] for name in (kept.models if kept else ()) if name in selected]
        whole = set(selected.values()) >= set(dbt_models.keys) and not keep
        built = set(selected.values()) - set(keep)
        read_outside = [key for key in keep if key.path[0] in READ_OUTSIDE]
        restated = restated_checks(con, [c for c in context.selected_asset_check_keys
                                         if c.asset_key in read_outside])
        plan = plan_build(con, warehouse.file, context.run_id, config.as_of, config.full_refresh, whole, digest)
    yield from kept_outputs(context, read_outside, kept.reason if kept else "")
    results: list[AssetCheckResult] = []
    held: list[AssetCheckResult] = []  # broken payload rules, said in words once dbt let go of the warehouse
    failed: DagsterDbtCliRuntimeError | None = None
    try:
        # a test of a rebuilt model on a kept one runs (buildable: the kept one is built before it)
        excluded = ["--exclude", " ".join(key.path[-1] for key in keep), "--indirect-selection",
                    "buildable"] if keep else []
        events = dbt.cli([*build_args(plan), *excluded], context=context,
                         target_path=target_path_for(warehouse)).stream()
        try:
            for event in events if config.dbt_log_on_stdout else _without_stdout(events):
                fault_point(f"{context.op_def.name}.terminate")  # while dbt is still running
                if isinstance(event, AssetCheckResult) and event.asset_key is not None:
                    if is_payload_failure(event):
                        held.append(event)
                        continue
                    results.append(event)
                yield event
        except DagsterDbtCliRuntimeError as exc:  # a test failed: the step fails once its checks are said
            failed = exc
        if failed is None:
            fault_point(f"{context.op_def.name}.before_recorded")  # built, not yet entered as built
            rebuilt_catalogue = set(catalogue_models(manifest)) <= {key.path[-1] for key in built}
            with contextlib.closing(warehouse.connect()) as con:
                build_finished(con, context.run_id, whole, config.as_of, rebuilt_catalogue, digest)
    finally:
        # dbt holds the warehouse while it runs: the history is written after it
        con = warehouse.connect()
        try:
            held = [explained(con, result) for result in held]
            for result in [*results, *held]:
                record_check(con, context.run_id, result.asset_key.path, result.check_name or "dbt_test", result)
            observations = table_observations(con, built)
        finally:
            con.close()
    yield from held
    if failed is not None:
        raise failed
    yield from restated
    yield from observations


def table_observations(con, keys) -> list[AssetObservation]:  # noqa: ANN001 - a DuckDB connection, asset keys
    """Row count and column schema of each table the step built, for the UI
    (views are left out: counting one reads what it selects from)."""
    tables = relation_columns(con, tables_only=True)
    out = []
    for key in sorted(keys, key=lambda k: k.path):
        relation = tuple(key.path[-2:])
        if len(key.path) == 2 and relation in tables:
            rows = con.execute(f"SELECT count(*) FROM {sql_identifier(relation[0])}.{sql_identifier(relation[1])}"
                               ).fetchall()[0][0]
            out.append(AssetObservation(asset_key=key, metadata={
                "dagster/row_count": rows, "dagster/column_schema": TableSchema(
                    columns=[TableColumn(name, data_type) for name, data_type in tables[relation].items()])}))
    return out


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=translator, name="dbt_models")
def dbt_models(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse,
               config: TransformConfig) -> Iterator[Any]:
    """Every model and its tests in one `dbt build`: a failing test stops what reads its model (the payload
    rules of a typed staging model stop the intermediate models and marts)."""
    yield from _build(context, dbt, warehouse, config)
