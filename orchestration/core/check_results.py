"""quality.check_results: every check of every run, so analysts can query
the quality history with SQL (SELECT * FROM quality.check_results)."""

from __future__ import annotations

import json
from typing import Any, Protocol

import duckdb
from dagster import AssetCheckResult, AssetCheckSeverity

from orchestration.core.quality_schema import SQL, ensure_quality_schema
from orchestration.core.warehouse import run_sql, sql_text


class SuiteValidation(Protocol):
    """What is kept of one GX validation (expectations.validate.SuiteOutcome)."""

    suite: str
    failures: list[Any]
    result_json: dict
    suite_json: dict


KEEP_VALIDATION_RUNS = 200  # Data Docs show the last 10; the rest is for `coopmetrics quality-docs --runs N`


def stage_of(asset_path: list[str]) -> str:
    """raw/events -> event_store; staging/x -> staging; marts/x -> marts;
    extracts/p -> extracts."""
    first = asset_path[0]
    return {"raw": "event_store"}.get(first, first)


def status_of(result: AssetCheckResult) -> str:
    if result.passed:
        return "passed"
    return "failed_error" if result.severity == AssetCheckSeverity.ERROR else "failed_warn"


def record_check(con: duckdb.DuckDBPyConnection, run_id: str, asset_path: list[str], check_name: str,
                 result: AssetCheckResult, observed_value: float | None = None, stage: str | None = None) -> None:
    ensure_quality_schema(con)
    run_sql(con, sql_text("record_check.sql", SQL), {
        "run_id": run_id, "stage": stage or stage_of(asset_path), "asset": "/".join(asset_path),
        "check_name": check_name, "status": status_of(result), "observed_value": observed_value,
        "message": (result.description or "")[:4000],
    })


def record_validations(con: duckdb.DuckDBPyConnection, run_id: str, stage: str, asset_path: list[str],
                       validations: list[tuple[str, SuiteValidation]]) -> None:
    """Keep each GX validation (batch label, outcome) for the Data Docs."""
    ensure_quality_schema(con)
    for batch, outcome in validations:
        run_sql(con, sql_text("record_validation.sql", SQL), {
            "run_id": run_id, "stage": stage, "asset": "/".join(asset_path), "suite": outcome.suite,
            "batch": batch, "success": not outcome.failures,
            "result_json": json.dumps(outcome.result_json, default=str),
            "suite_json": json.dumps(outcome.suite_json, default=str),
        })
    run_sql(con, sql_text("prune_validations.sql", SQL), {"keep_runs": KEEP_VALIDATION_RUNS})
