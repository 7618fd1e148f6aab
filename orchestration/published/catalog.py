"""A read-only copy for analysts and notebooks that no run ever waits for.

DuckDB lets one process write a file, and a reader's open connection keeps
the writer out: a notebook holding the warehouse open would make every run
fail. So readers never open the warehouse. At the end of each run the marts
are written as Parquet into a new generation folder, and a small DuckDB
catalog of views (`published/coopmetrics.duckdb`) over that generation and
over the lake's event store, ledger and quarantine (the files `_lake.json`
lists) is built beside it and renamed over the last one in one step. A
reader that has the previous catalog open goes on reading the previous
generation, whole and consistent; it sees the new one when it reconnects.
The last GENERATIONS generations are kept, so a long-lived reader's files
stay in place for a few runs."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.core.warehouse import run_sql, sql_identifier, sql_text
from orchestration.lake.export import TABLES, read_manifest
from orchestration.published import SQL_DIR

GENERATIONS = 3
LAKE_SCHEMA = "raw"  # the lake's tables keep the names they have in the warehouse


@dataclass(frozen=True)
class Published:
    catalog: Path
    generation: str
    marts: list[str]
    lake_tables: list[str]
    removed: list[str]  # generations older than the GENERATIONS kept


def _marts(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [sql_identifier(name) for (name,) in run_sql(con, sql_text("marts.sql", SQL_DIR))]


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def publish(con: duckdb.DuckDBPyConnection, catalog: Path, lake_root: Path, run_id: str) -> Published:
    """Write the marts of `con` (the warehouse, read-only) as a new generation and swap the catalog in."""
    root = catalog.parent
    generation = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ") + "-" + run_id[:8]
    marts_dir = root / "generations" / generation / "marts"
    marts_dir.mkdir(parents=True)
    marts = _marts(con)
    for mart in marts:
        # a view over the warehouse would need the warehouse open: each mart is copied whole (they are small)
        con.execute(f"COPY marts.{mart} TO {_quoted(marts_dir / (mart + '.parquet'))} (FORMAT parquet)")
    manifest = read_manifest(lake_root)
    lake_files = {table: sorted(lake_root / f for export in manifest["exports"] for f in export["files"]
                                if f.startswith(table + "/")) for table in TABLES}
    staged = root / f".{catalog.name}.{generation}"
    with duckdb.connect(str(staged)) as out:
        out.execute("CREATE SCHEMA marts")
        out.execute(f"CREATE SCHEMA {LAKE_SCHEMA}")
        for mart in marts:
            out.execute(f"CREATE VIEW marts.{mart} AS SELECT * FROM read_parquet("
                        f"{_quoted(marts_dir / (mart + '.parquet'))})")
        for table, files in lake_files.items():
            if files:
                listed = ", ".join(_quoted(f) for f in files)
                out.execute(f"CREATE VIEW {LAKE_SCHEMA}.{table} AS SELECT * FROM read_parquet([{listed}], "
                            "hive_partitioning = true)")
        out.execute("CHECKPOINT")
    os.replace(staged, catalog)
    return Published(catalog, generation, marts, [t for t, f in lake_files.items() if f], _prune(root))


def _prune(root: Path) -> list[str]:
    """Remove all but the newest GENERATIONS generations, and catalogs a stopped run staged."""
    generations = sorted((root / "generations").iterdir())
    old = generations[:-GENERATIONS]
    for folder in old:
        shutil.rmtree(folder, ignore_errors=True)
    for leftover in root.glob(".*.duckdb.*"):  # the catalog is renamed in place: what is left was stopped
        leftover.unlink(missing_ok=True)
    return [folder.name for folder in old]
