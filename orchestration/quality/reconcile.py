"""Reconciliations across stages, as blocking asset checks: a number that
does not add up stops the extracts that would carry it to a partner.
Edges between registered and unregistered organisations are counted by the
initiative and month marts only, so edge agreement is checked on registered
consortia (every org in the registry), which the spillover marts assume."""

from pathlib import Path

from dagster import AssetCheckExecutionContext, AssetCheckResult, AssetCheckSeverity, AssetKey, asset_check

from orchestration.core.asset_keys import EVENTS_KEY, mart_key
from orchestration.core.check_results import record_check
from orchestration.core.faults import fault_point
from orchestration.core.resources import Warehouse
from orchestration.core.warehouse import run_sql, sql_text

SQL = Path(__file__).parent / "sql"
SHARED_VALUE = mart_key("mart_shared_value")
CONSORTIUM = mart_key("mart_consortium_monthly")


def reconcile(warehouse: Warehouse, run_id: str, key: AssetKey, name: str, query: str, judge) -> AssetCheckResult:
    """Run one reconciliation query, judge it, record it in quality.check_results."""
    fault_point("reconciliations")
    con = warehouse.connect()
    try:
        row = run_sql(con, sql_text(query, SQL))[0]
        passed, observed, message = judge(row)
        result = AssetCheckResult(passed=passed, severity=AssetCheckSeverity.ERROR, description=message,
                                  metadata={"observed": observed})
        record_check(con, run_id, key.path, name, result, observed)
    finally:
        con.close()
    return result


def judge_conservation(row: tuple) -> tuple[bool, float, str]:
    not_conserved, stored_gap, quarantined_gap, sample = row
    passed = not_conserved == 0 and stored_gap == 0 and quarantined_gap == 0
    return passed, float(not_conserved + abs(stored_gap) + abs(quarantined_gap)), (
        "raw.ingest_ledger: records_read = stored + duplicates + quarantined for every run, and the ledger "
        "matches raw.events and raw.quarantine" if passed else
        f"raw.ingest_ledger: {not_conserved} run(s) not conserved (e.g. {sample}); ledger minus raw.events "
        f"= {stored_gap} stored, minus raw.quarantine = {quarantined_gap} quarantined")


def judge_shared_value(row: tuple) -> tuple[bool, float, str]:
    difference, tolerance, mart_total, facts_total = row
    passed = difference <= tolerance
    return passed, float(difference), (
        f"marts.mart_shared_value.total_value_eur sums to {mart_total}, the valued facts of "
        f"intermediate.int_initiative_facts to {facts_total} (difference {difference}, rounding allows {tolerance})")


def judge_spillovers(row: tuple) -> tuple[bool, float, str]:
    by_initiative, by_org, by_month, received, originated, cross_month = row
    passed = by_initiative == by_org == by_month and received == originated == cross_month
    return passed, float(abs(by_initiative - by_month) + abs(originated - cross_month)), (
        f"counted edges: mart_spillovers {by_initiative}, mart_org_spillovers {by_org}, "
        f"mart_consortium_monthly {by_month}; cross-org: originated {originated}, received {received}, "
        f"monthly {cross_month}")


CONSERVATION = (EVENTS_KEY, "ledger_conservation", "reconcile_conservation.sql", judge_conservation)
SHARED_VALUE_TOTALS = (SHARED_VALUE, "shared_value_reconciles", "reconcile_shared_value.sql", judge_shared_value)
SPILLOVER_EDGES = (CONSORTIUM, "spillover_edges_agree", "reconcile_spillovers.sql", judge_spillovers)


@asset_check(asset=EVENTS_KEY, name="ledger_conservation", blocking=True,
             description="records_read = stored + duplicates + quarantined, per run and for the whole store.")
def ledger_conservation(context: AssetCheckExecutionContext, warehouse: Warehouse) -> AssetCheckResult:
    return reconcile(warehouse, context.run.run_id, *CONSERVATION)


@asset_check(asset=SHARED_VALUE, name="shared_value_reconciles", blocking=True,
             description="mart_shared_value totals equal the valued contributions, resources and assets.")
def shared_value_reconciles(context: AssetCheckExecutionContext, warehouse: Warehouse) -> AssetCheckResult:
    return reconcile(warehouse, context.run.run_id, *SHARED_VALUE_TOTALS)


@asset_check(asset=CONSORTIUM, name="spillover_edges_agree", blocking=True,
             additional_deps=[mart_key("mart_spillovers"), mart_key("mart_org_spillovers")],
             description="Counted spillover edges agree between mart_spillovers, mart_org_spillovers and "
                         "mart_consortium_monthly.")
def spillover_edges_agree(context: AssetCheckExecutionContext, warehouse: Warehouse) -> AssetCheckResult:
    return reconcile(warehouse, context.run.run_id, *SPILLOVER_EDGES)


RECONCILIATIONS = [ledger_conservation, shared_value_reconciles, spillover_edges_agree]
