"""Each dbt asset's definition carries its columns typed as DuckDB builds
them (dbt_project/column_types.json), and the file says what the
hand-checked warehouse's build holds."""

import contextlib
import json
from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey

from orchestration.definitions import defs
from orchestration.transform.column_types import (
    built_relations,
    check_or_write,
    committed_column_types,
    differences,
    render,
    warehouse_column_types,
)
from orchestration.transform.project import dbt_project


def _manifest() -> dict:
    return json.loads(Path(dbt_project.manifest_path).read_text())


@pytest.mark.xdist_group("hand_checked")
def test_the_committed_column_types_are_those_of_the_built_hand_checked_warehouse(marts):
    manifest = _manifest()
    with contextlib.closing(duckdb.connect(str(marts), read_only=True)) as con:
        built = warehouse_column_types(con, manifest)
    assert differences(committed_column_types(), built, set(built_relations(manifest))) == [], (
        "run `make run` then `.venv/bin/coopmetrics column-types`")
    assert len(built) == len(built_relations(manifest)) == 73


def test_every_documented_column_is_a_column_of_its_model():
    """A yml column that the model does not build is a typo the definition would show untyped."""
    types = committed_column_types()
    stray = [f"{node['name']}.{column}" for node in _manifest()["nodes"].values()
             if node["resource_type"] == "model" for column in node["columns"]
             if column not in types[node["name"]]]
    assert stray == []


def test_a_dbt_asset_definition_shows_every_column_typed_and_described():
    spec = defs.resolve_assets_def(AssetKey(["marts", "mart_initiative_health"])).specs_by_key[
        AssetKey(["marts", "mart_initiative_health"])]
    columns = {c.name: c for c in spec.metadata["dagster/column_schema"].columns}
    assert list(columns) == list(committed_column_types()["mart_initiative_health"])
    assert (columns["elephant_factor"].type, columns["quarter"].type) == ("BIGINT", "DATE")
    assert "The fewest organisations" in columns["elephant_factor"].description
    untyped = [(key.to_user_string(), c.name) for key, spec in defs.resolve_assets_def(
        AssetKey(["marts", "mart_impact"])).specs_by_key.items()
        for c in spec.metadata["dagster/column_schema"].columns if c.type == "?"]
    assert untyped == []


def test_a_moved_column_is_named_and_written_again(tmp_path):
    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts; CREATE TABLE marts.m (a INTEGER, b VARCHAR)")
    manifest = {"nodes": {
        "model.p.m": {"resource_type": "model", "name": "m", "schema": "marts", "alias": "m",
                      "config": {"materialized": "table"}},
        "model.p.e": {"resource_type": "model", "name": "e", "schema": "marts", "alias": "e",
                      "config": {"materialized": "ephemeral"}}}}
    path = tmp_path / "column_types.json"
    path.write_text(render({"m": {"a": "BIGINT", "b": "VARCHAR"}, "gone": {"x": "DATE"}}))
    assert check_or_write(con, manifest, write=False, path=path) == [
        "m: a BIGINT -> INTEGER", "gone: no longer a model"]
    assert check_or_write(con, manifest, write=True, path=path) == [
        "m: a BIGINT -> INTEGER", "gone: no longer a model"]
    assert committed_column_types(path) == {"m": {"a": "INTEGER", "b": "VARCHAR"}}
    assert check_or_write(con, manifest, write=False, path=path) == []
    con.execute("CREATE OR REPLACE TABLE marts.m (b VARCHAR, a INTEGER)")
    assert check_or_write(con, manifest, write=False, path=path) == ["m: its columns in another order"]
