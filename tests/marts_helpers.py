"""Build the marts with real dbt through Dagster, on an event store that a
test filled (its ingested_at fixed), as known at a given as_of."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from orchestration.definitions import build_definitions
from orchestration.pipeline_run import PipelineResult, run_pipeline


def build_marts(as_of: str | None = None, full_refresh: bool = False) -> PipelineResult:
    """Every asset but the ingest one (and its check): dbt models, extracts."""
    keys = [key for key in build_definitions().resolve_asset_graph().get_all_asset_keys()
            if key.path[0] != "raw"]
    result = run_pipeline(as_of=as_of, full_refresh=full_refresh, asset_selection=keys)
    assert result.success, result.failed_steps + result.checks_failed
    return result


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def dbt_build(db: Path, as_of: str, full_refresh: bool = False) -> None:
    """Plain `dbt run` on the warehouse (no Dagster, no data tests around
    it: the other tests cover those): for tests that rebuild the marts
    several times and compare them."""
    import json
    import os
    import subprocess

    from orchestration.core.settings import DBT_PROJECT_DIR, WAREHOUSE_ENV, dbt_executable

    # its own target folder: dbt rewrites manifest.json in its target, and the
    # packaged manifest in dbt_project/target is what every Dagster process
    # in the other test worker loads (a half-written one failed a run there)
    args = [dbt_executable(), "run", "--quiet", "--vars", json.dumps({"as_of": as_of}),
            "--target-path", str(db.parent / "dbt_target")]
    if full_refresh:
        args.append("--full-refresh")
    done = subprocess.run(args, cwd=DBT_PROJECT_DIR, env={**os.environ, WAREHOUSE_ENV: str(db)},
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def mart_fingerprints(db: Path, leave_out: dict[str, set[str]], schema: str = "marts") -> dict[str, tuple[int, str]]:
    """Each table's row count and the SHA-256 of its rows, sorted, doubles to
    nine decimals (a sum's last bits follow the order DuckDB adds in)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        prints = {}
        for (table,) in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = $s "
                                    "ORDER BY 1", {"s": schema}).fetchall():
            columns = [(name, kind) for name, kind in con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $s "
                "AND table_name = $t ORDER BY ordinal_position", {"s": schema, "t": table}).fetchall()
                if name not in leave_out.get(table, set())]
            shown = ", ".join(f'round("{n}", 9)' if k == "DOUBLE" else f'"{n}"' for n, k in columns)
            rows = con.execute(f'SELECT {shown} FROM "{schema}"."{table}" ORDER BY ALL').fetchall()
            prints[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
        return prints
    finally:
        con.close()
