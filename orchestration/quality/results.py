"""quality.check_results: every check of every run, so analysts can query
the quality history with SQL (SELECT * FROM quality.check_results)."""

from __future__ import annotations

from pathlib import Path

import duckdb
from dagster import AssetCheckResult, AssetCheckSeverity

from orchestration.ingest.store import run_script, run_sql, sql_text

SQL = Path(__file__).parent / "sql"


def stage_of(asset_path: list[str]) -> str:
    """raw/events -> event_store; marts/x -> marts; extracts/p -> extracts."""
    first = asset_path[0]
    return {"raw": "event_store"}.get(first, first)


def status_of(result: AssetCheckResult) -> str:
    if result.passed:
        return "passed"
    return "failed_error" if result.severity == AssetCheckSeverity.ERROR else "failed_warn"


def record_check(con: duckdb.DuckDBPyConnection, run_id: str, asset_path: list[str], check_name: str,
                 result: AssetCheckResult, observed_value: float | None = None) -> None:
    run_script(con, "quality_schema.sql", folder=SQL)
    run_sql(con, sql_text("record_check.sql", SQL), {
        "run_id": run_id, "stage": stage_of(asset_path), "asset": "/".join(asset_path),
        "check_name": check_name, "status": status_of(result), "observed_value": observed_value,
        "message": (result.description or "")[:4000],
    })
