"""The marts suite as blocking asset checks, one a mart: the profile of
each (the rows at the extremes its rules judge, sql/mart_profile.sql), and
only when a rule fails there every row, read in batches of batch_rows()
through Arrow for exact counts and keys, so no check holds a whole table in
memory. An ERROR on a mart blocks the extracts. (The typed staging models
are judged by the dbt test payload_rules, inside the dbt step.)"""

import contextlib
import os
from collections.abc import Iterator

import duckdb
import pyarrow as pa
from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    AssetsDefinition,
    MetadataValue,
    multi_asset_check,
)
from dagster_dbt import get_asset_key_for_model

from expectations.marts import mart_expectations, mart_keys
from expectations.validate import SuiteOutcome, validate_frame
from orchestration.core.check_results import record_check, record_validations
from orchestration.core.faults import fault_point
from orchestration.core.quality_schema import ensure_quality_schema
from orchestration.core.resources import Warehouse
from orchestration.core.warehouse import sql_identifier, sql_text
from orchestration.quality.event_store import QUALITY_SQL
from orchestration.transform.kept import kept_in_run, restated_checks

MARTS_CHECK = "marts_suite"
BATCH_ROWS_ENV = "COOPMETRICS_CHECK_BATCH_ROWS"
DEFAULT_BATCH_ROWS = 200_000  # bounds the pandas frame GX validates at a time


def batch_rows() -> int:
    return int(os.environ.get(BATCH_ROWS_ENV, DEFAULT_BATCH_ROWS))


def bounded_tables(reader: pa.RecordBatchReader, rows: int) -> Iterator[pa.Table]:
    """The reader's record batches regrouped into tables of at most `rows`
    rows: DuckDB hands out batches of its own size (2,048 rows or so),
    whatever size was asked for, and a GX validation a record batch would
    cost a validation's fixed price thousands of times."""
    pending: list[pa.RecordBatch] = []
    held = 0
    for batch in reader:
        offset = 0
        while offset < batch.num_rows:
            part = batch.slice(offset, rows - held)
            pending.append(part)
            held += part.num_rows
            offset += part.num_rows
            if held == rows:
                yield pa.Table.from_batches(pending, reader.schema)
                pending, held = [], 0
    if pending:
        yield pa.Table.from_batches(pending, reader.schema)


def validate_batches(reader: pa.RecordBatchReader, suite: str, table: str, expectations: list,
                     keys: list[str]) -> list[SuiteOutcome]:
    """Validate what the reader yields, one bounded batch (batch_rows()) at a time."""
    return [validate_frame(suite, table, chunk.to_pandas(), expectations, keys)
            for chunk in bounded_tables(reader, batch_rows())]


def validate_relation(con: duckdb.DuckDBPyConnection, stage: str, relation: str) -> list[SuiteOutcome]:
    """Validate one mart: its profile, and every row, batch by batch, when a rule fails there."""
    ensure_quality_schema(con)
    # one GX suite per model (its own expectations), named after the check
    suite, table, rules, keys = f"{MARTS_CHECK}.{relation}", f"{stage}.{relation}", mart_expectations(relation), \
        mart_keys()[relation]
    profile = con.sql(mart_profile_sql(relation, rules)).to_arrow_table().to_pandas()
    outcome = validate_frame(suite, f"{table} (its profile)", profile, rules, keys)
    if not outcome.failures:
        return [outcome]
    # a rule failed: every row is validated, a batch at a time, for the exact counts and keys
    query = sql_text("mart_batch.sql", QUALITY_SQL).replace("{{ relation }}", sql_identifier(relation))
    return validate_batches(con.sql(query).to_arrow_reader(batch_rows()), suite, table, rules, keys)


def _quoted(column: str) -> str:
    return f'"{sql_identifier(column)}"'


def mart_profile_sql(relation: str, rules: list) -> str:
    """The query of a mart's profile (sql/mart_profile.sql) for its rules."""
    extremes = []
    for rule in rules:
        kind = type(rule).__name__
        if kind == "ExpectColumnValuesToBeBetween":  # nulls are not judged
            extremes += [f"arg_min(rowid, {_quoted(rule.column)})", f"arg_max(rowid, {_quoted(rule.column)})"]
        elif kind == "ExpectColumnPairValuesAToBeGreaterThanB":
            a, b = _quoted(rule.column_A), _quoted(rule.column_B)
            extremes += [f"arg_min(rowid, {a} - {b})", f"min(rowid) FILTER (WHERE ({a} IS NULL) <> ({b} IS NULL))"]
        else:
            raise ValueError(f"the marts suite has no profile for {kind}: it would be judged on some rows only")
    return (sql_text("mart_profile.sql", QUALITY_SQL).replace("{{ relation }}", sql_identifier(relation))
            .replace("{{ extremes }}", ", ".join(extremes) or "NULL"))


def _result(key: AssetKey, check: str, relation: str, outcomes: list[SuiteOutcome]) -> AssetCheckResult:
    rows = sum(o.rows for o in outcomes)
    failures = [f for o in outcomes for f in o.failures]
    errors = [f for o in outcomes for f in o.errors]
    table = outcomes[0].table if outcomes else relation
    evaluated = outcomes[0].evaluated if outcomes else 0
    return AssetCheckResult(
        asset_key=key, check_name=check, passed=not failures,
        severity=AssetCheckSeverity.ERROR if errors else AssetCheckSeverity.WARN,
        description=("; ".join(f.describe(table) for f in failures) if failures
                     else f"{rows} row(s) of {table} passed {evaluated} expectation(s)")[:2000],
        metadata={"rows_validated": rows, "failures": MetadataValue.json([
            {"column": f.column, "expectation": f.expectation, "unexpected_count": f.unexpected_count,
             "sample_keys": f.sample_keys} for f in failures])},
    )


def _table_suite_check(name: str, stage: str, models: list[str], dbt_assets: AssetsDefinition,
                       description: str) -> object:
    keys = {model: get_asset_key_for_model([dbt_assets], model) for model in models}

    @multi_asset_check(
        specs=[AssetCheckSpec(name, asset=key, blocking=True, description=description) for key in keys.values()],
        name=f"{name}s",
        can_subset=True,  # a run that rebuilds some models validates those alone
    )
    def _check(context: AssetCheckExecutionContext, warehouse: Warehouse) -> Iterator[AssetCheckResult]:
        fault_point(f"{name}s")
        selected = {check.asset_key for check in context.selected_asset_check_keys}
        kept = kept_in_run(context.instance, context.run.run_id, selected)
        # one session for the step: opening the warehouse (its schema and macros made sure of) and
        # closing it (a checkpoint) cost about 50 ms, which a session a mart paid 16 times
        with contextlib.closing(warehouse.connect()) as con:
            if kept:  # the table is the one this suite last judged: its verdict stands
                yield from restated_checks(con, [check for check in context.selected_asset_check_keys
                                                 if check.asset_key in kept])
            for model, key in keys.items():
                if key not in selected or key in kept:
                    continue
                outcomes = validate_relation(con, stage, model)
                result = _result(key, name, model, outcomes)
                record_check(con, context.run.run_id, key.path, name, result,
                             float(sum(f.unexpected_count for o in outcomes for f in o.failures)), stage=stage)
                record_validations(con, context.run.run_id, stage, key.path,
                                   [(f"{stage}.{model} batch {n + 1}", o) for n, o in enumerate(outcomes)])
                yield result

    return _check


def build_table_suite_checks(mart_assets: AssetsDefinition) -> list:
    return [_table_suite_check(MARTS_CHECK, "marts", list(mart_keys()), mart_assets,
                               "great-expectations marts suite (expectations/marts.py): docs/metrics.md value "
                               "domains; ERROR blocks the extracts.")]
