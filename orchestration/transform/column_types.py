"""The column types of every dbt model as DuckDB builds them, so each dbt
asset's definition shows its columns typed in the UI before anything is
built (the yml documents a column's meaning, never its type: the SQL
decides that). The file is written from a built warehouse and committed; a
test builds the hand-checked warehouse and fails, naming the models, when
the file no longer says what DuckDB built.

    coopmetrics column-types                # rewrites it from warehouse/ (after `make run`)
    coopmetrics column-types --check        # exits 1 naming the models whose columns moved
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from orchestration.core.settings import DBT_PROJECT_DIR

COLUMN_TYPES_FILE = DBT_PROJECT_DIR / "column_types.json"
HEADER = "written from a built warehouse by `coopmetrics column-types`: do not edit"


def built_relations(manifest: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Each model that is a relation in the warehouse (every one but an ephemeral model) -> (schema, table)."""
    return {node["name"]: (node["schema"], node["alias"] or node["name"])
            for node in manifest["nodes"].values()
            if node["resource_type"] == "model" and node["config"].get("materialized") != "ephemeral"}


def relation_columns(con, tables_only: bool = False) -> dict[tuple[str, str], dict[str, str]]:  # noqa: ANN001
    """(schema, relation) -> {column: DuckDB type}, in the relation's order, of every relation of the
    warehouse (only its tables with tables_only: views are not counted, counting one reads what it selects)."""
    by_relation: dict[tuple[str, str], dict[str, str]] = {}
    for schema, table, column, data_type in con.execute(
            "SELECT c.table_schema, c.table_name, c.column_name, c.data_type FROM information_schema.columns AS c "
            "JOIN information_schema.tables AS t USING (table_catalog, table_schema, table_name) "
            "WHERE NOT $tables_only OR t.table_type = 'BASE TABLE' "
            "ORDER BY c.table_schema, c.table_name, c.ordinal_position", {"tables_only": tables_only}).fetchall():
        by_relation.setdefault((schema, table), {})[column] = data_type
    return by_relation


def warehouse_column_types(con, manifest: dict[str, Any]) -> dict[str, dict[str, str]]:  # noqa: ANN001 - DuckDB
    """model -> {column: DuckDB type}, in the order of the relation's columns, for every model built in it."""
    by_relation = relation_columns(con)
    return {model: by_relation[relation] for model, relation in sorted(built_relations(manifest).items())
            if relation in by_relation}


def render(types: dict[str, dict[str, str]]) -> str:
    return json.dumps({"about": HEADER, "models": types}, indent=1) + "\n"


@functools.lru_cache(maxsize=4)
def _read(path: Path, mtime_ns: int, size: int) -> dict[str, dict[str, str]]:
    return json.loads(path.read_text())["models"]


def committed_column_types(path: Path = COLUMN_TYPES_FILE) -> dict[str, dict[str, str]]:
    """The committed file (none when it is missing: the definitions then say `?` as dagster-dbt does)."""
    if not path.exists():
        return {}
    stat = path.stat()
    return _read(path, stat.st_mtime_ns, stat.st_size)


def differences(committed: dict[str, dict[str, str]], built: dict[str, dict[str, str]],
                models: set[str]) -> list[str]:
    """One line per model of the manifest whose committed columns are not the built ones."""
    lines = []
    for model in sorted(models):
        said, found = committed.get(model), built.get(model)
        if found is None:
            lines.append(f"{model}: not built in the warehouse")
        elif said is None:
            lines.append(f"{model}: not in {COLUMN_TYPES_FILE.name}")
        elif list(said.items()) != list(found.items()):
            moved = sorted({c for c in said.keys() | found.keys() if said.get(c) != found.get(c)})
            lines.append(f"{model}: " + (", ".join(f"{c} {said.get(c, '-')} -> {found.get(c, '-')}" for c in moved)
                                         or "its columns in another order"))
    lines += [f"{model}: no longer a model" for model in sorted(committed.keys() - models)]
    return lines


def check_or_write(con, manifest: dict[str, Any], write: bool, path: Path = COLUMN_TYPES_FILE) -> list[str]:  # noqa: ANN001
    """The differences between the file and the warehouse; with write, the file is rewritten when there are."""
    built = warehouse_column_types(con, manifest)
    lines = differences(committed_column_types(path), built, set(built_relations(manifest)))
    if write and lines:
        path.write_text(render(built))
    return lines
