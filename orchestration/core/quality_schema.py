"""The quality schema (sql/quality_schema.sql): check results, GX validations,
the landing suite's kept profiles. Its own module, free of Dagster, so the
ingest path creates it without importing the orchestrator."""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.core.warehouse import run_script

SQL = Path(__file__).parent / "sql"


def ensure_quality_schema(con: duckdb.DuckDBPyConnection) -> None:
    run_script(con, "quality_schema.sql", folder=SQL)
