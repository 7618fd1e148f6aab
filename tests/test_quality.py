"""Checks at each stage fail for the right reason on a broken copy of the
hand-checked warehouse, say which table, column and how many rows, and are
kept in quality.check_results."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from dagster import AssetCheckSeverity

from orchestration.core.resources import Warehouse
from orchestration.quality.reconcile import (
    CONSERVATION,
    SHARED_VALUE_TOTALS,
    SPILLOVER_EDGES,
    judge_conservation,
    judge_shared_value,
    judge_spillovers,
    reconcile,
)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hand_checked")]


@pytest.fixture
def broken(marts, tmp_path):
    """A copy of the hand-checked warehouse to break."""
    copy = tmp_path / "broken.duckdb"
    shutil.copy(marts, copy)

    def run(sql: str) -> Warehouse:
        con = duckdb.connect(str(copy))
        con.execute(sql)
        con.close()
        return Warehouse(path=str(copy))

    return run


def history(warehouse: Warehouse) -> list[tuple]:
    con = duckdb.connect(warehouse.path, read_only=True)
    try:
        return con.execute("SELECT stage, asset, check_name, status FROM quality.check_results "
                           "WHERE run_id = 'test-run'").fetchall()
    finally:
        con.close()


def evaluate(check, warehouse: Warehouse):
    return reconcile(warehouse, "test-run", *check)


def test_reconciliations_pass_on_the_hand_checked_warehouse(broken):
    warehouse = broken("SELECT 1")
    for check in (CONSERVATION, SHARED_VALUE_TOTALS, SPILLOVER_EDGES):
        assert evaluate(check, warehouse).passed


def test_a_mart_total_that_no_longer_reconciles(broken):
    warehouse = broken("UPDATE marts.mart_shared_value SET total_value_eur = total_value_eur + 0.50 "
                       "WHERE initiative_id = 'a5'")
    result = evaluate(SHARED_VALUE_TOTALS, warehouse)
    assert not result.passed and result.severity == AssetCheckSeverity.ERROR
    # 2717.50 by hand (1270 + 795 + 60 + 300 + 292.50), plus the 0.50 tampered in
    assert "marts.mart_shared_value.total_value_eur sums to 2718.00" in result.description
    assert "to 2717.500000" in result.description
    assert history(warehouse) == [("marts", "marts/mart_shared_value", "shared_value_reconciles", "failed_error")]


def test_spillover_marts_that_disagree(broken):
    warehouse = broken("UPDATE marts.mart_org_spillovers SET internal_spillovers = 0 WHERE org_id = 'alfa'")
    result = evaluate(SPILLOVER_EDGES, warehouse)
    assert not result.passed
    assert result.description.startswith("counted edges: mart_spillovers 3, mart_org_spillovers 2, "
                                         "mart_consortium_monthly 3")


def test_a_ledger_that_does_not_conserve(broken):
    warehouse = broken("UPDATE raw.ingest_ledger SET stored = stored + 1 WHERE feed_org_id = 'beta'")
    result = evaluate(CONSERVATION, warehouse)
    assert not result.passed
    assert "1 run(s) not conserved" in result.description
    assert "ledger minus raw.events = 1 stored" in result.description


def test_judges_directly():
    assert judge_conservation((0, 0, 0, None))[0]
    assert not judge_conservation((0, 0, 2, None))[0]
    assert judge_shared_value((0.004, 0.005, 1, 1))[0]
    assert not judge_shared_value((0.006, 0.005, 1, 1))[0]
    assert judge_spillovers((3, 3, 3, 2, 2, 2))[0]
    assert not judge_spillovers((3, 3, 3, 2, 1, 2))[0]
