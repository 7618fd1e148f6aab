"""The build bookkeeping's schema (`builds`), brought up to date by
versioned steps: sql/migrations/NNNN_name.sql, each applied once, in order,
in a transaction of its own, and entered in builds.migrations. A warehouse
of any earlier layout and a new one end in the same tables."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from orchestration.core.warehouse import run_script, run_sql, sql_text, transaction

SQL = Path(__file__).parent / "sql"
MIGRATIONS = SQL / "migrations"
_STEP = re.compile(r"^(\d{4})_(\w+)\.sql$")


def migration_steps() -> list[tuple[int, str]]:
    """(version, file name) of every step, in order; their numbers run 1, 2, ... without a gap."""
    steps = sorted((int(m.group(1)), path.name) for path in MIGRATIONS.glob("*.sql") if (m := _STEP.match(path.name)))
    if [version for version, _ in steps] != list(range(1, len(steps) + 1)):
        raise ValueError(f"migration steps must be numbered 1..n without a gap: {[name for _, name in steps]}")
    return steps


def applied_versions(con: duckdb.DuckDBPyConnection) -> set[int]:
    run_script(con, "migrations_applied.sql", folder=SQL)
    return {version for (version,) in run_sql(con, "SELECT version FROM builds.migrations")}


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the steps this warehouse has not had; the names of those applied."""
    done = applied_versions(con)
    applied = []
    for version, name in migration_steps():
        if version in done:
            continue
        with transaction(con):
            run_script(con, name, folder=MIGRATIONS)
            run_sql(con, sql_text("record_migration.sql", SQL), {"version": version, "name": name})
        applied.append(name)
    return applied
