"""Why a typed staging model failed its payload rules, in words: the data
test payload_rules (dbt_project/tests/generic/payload_rules.sql) stores its
failing rows (a row a broken rule: the column, the rule, how many records
break it, the first of them), and the dbt step reads them once dbt has let
go of the warehouse, so the check's message names the column, the rule and
a record to look at instead of a bare count."""

from __future__ import annotations

from pathlib import Path

import duckdb
from dagster import AssetCheckResult

from orchestration.core.warehouse import run_sql, sql_identifier, sql_text

SQL = Path(__file__).parent / "sql"
PAYLOAD_RULES = "payload_rules_"  # the name dagster-dbt gives each of the test's checks begins so
MESSAGE_RULES = 10  # the broken rules a message names; the stored failures hold them all


def is_payload_failure(result: AssetCheckResult) -> bool:
    return not result.passed and (result.check_name or "").startswith(PAYLOAD_RULES)


def explained(con: duckdb.DuckDBPyConnection, result: AssetCheckResult) -> AssetCheckResult:
    """The check result again, with the broken rules as its description."""
    found = run_sql(con, sql_text("stored_failures.sql", SQL), {"test": result.check_name})
    if not found:
        return result
    schema, table = found[0]
    rows = con.execute(sql_text("payload_failures.sql", SQL).replace(
        "{{ relation }}", f"{sql_identifier(schema)}.{sql_identifier(table)}")).fetchall()
    model = ".".join(result.asset_key.path)
    said = [f"{model}.{column}: {records} record(s) not {rule}, the first {first}"
            for column, rule, records, first in rows[:MESSAGE_RULES]]
    more = f"; and {len(rows) - MESSAGE_RULES} more rule(s) in {schema}.{table}" if len(rows) > MESSAGE_RULES else ""
    return AssetCheckResult(asset_key=result.asset_key, check_name=result.check_name, passed=result.passed,
                            severity=result.severity, metadata=result.metadata,
                            description=("; ".join(said) + more)[:2000])
