"""The same dbt models on Spark: the hand-checked consortium and a demo
consortium are built by DuckDB (as production builds them), exported to the
lake, built again by dbt-spark from the lake alone, and every mart is
compared cell by cell: the same row sets, money to the cent, ratios to 1e-9.
The dbt data tests run on Spark as part of its `dbt build`. Run by
`make test-spark`, which installs Java and the Spark venv first."""

from __future__ import annotations

import pytest

from orchestration.core.warehouse import connect
from orchestration.demo.generate import generate_demo
from orchestration.lake.export import export_lake
from orchestration.pipeline_run import run_pipeline
from tests.marts_helpers import rows
from tests.spark_engine import compare_marts, spark_dbt_build

pytestmark = [pytest.mark.spark, pytest.mark.slow]


def _as_of(db) -> str:
    """The instant DuckDB's marts were built as known at, for Spark to use the same."""
    [(as_of,)] = rows(db, "SELECT strftime(as_of, '%Y-%m-%d %H:%M:%S.%f') FROM marts.mart_build_info")
    return as_of


def _assert_same_marts(db, spark_dir) -> list[str]:
    differences = compare_marts(db, spark_dir)
    unequal = {d.mart: (d.duckdb_rows, d.spark_rows, d.only_in_duckdb, d.only_in_spark, d.cells)
               for d in differences if not d.equal}
    assert not unequal, unequal
    return [d.mart for d in differences]


def test_hand_checked_marts_are_the_same_on_spark(marts, tmp_path):
    lake = tmp_path / "lake"
    con = connect(marts, read_only=True)
    try:
        export_lake(con, lake)
    finally:
        con.close()
    spark_dir = tmp_path / "spark"
    output = spark_dbt_build(lake, spark_dir, _as_of(marts))
    assert "ERROR=0" in output and "PASS=" in output
    compared = _assert_same_marts(marts, spark_dir)
    assert {"mart_shared_value", "mart_spillovers", "mart_coalitions", "mart_resource_mix"} <= set(compared)
    # the hand-checked values are in these tables, so an empty pair would prove nothing
    assert rows(marts, "SELECT count(*) FROM marts.mart_shared_value") != [(0,)]


def test_demo_consortium_marts_are_the_same_on_spark(tmp_path, monkeypatch):
    registry = generate_demo(tmp_path / "demo", orgs=6, events=5000, seed=11, defect_share=0.01, per_file=1500).registry
    db = tmp_path / "wh" / "coopmetrics.duckdb"
    monkeypatch.setenv("COOPMETRICS_WAREHOUSE", str(db))
    monkeypatch.setenv("COOPMETRICS_REGISTRY", str(registry))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    monkeypatch.delenv("COOPMETRICS_PEPPER", raising=False)
    result = run_pipeline()
    assert result.success, result.failed_steps + result.checks_failed
    lake = db.parent / "lake"
    assert (lake / "_lake.json").exists()
    spark_dir = tmp_path / "spark"
    spark_dbt_build(lake, spark_dir, _as_of(db))
    compared = _assert_same_marts(db, spark_dir)
    impact = {"mart_impact", "mart_impact_org_year", "mart_impact_sensitivity", "mart_impact_outcomes", "dim_outcomes"}
    assert impact <= set(compared)
    [(spillovers, coalitions)] = rows(db, "SELECT (SELECT count(*) FROM marts.mart_spillovers "
                                          "WHERE total_spillovers > 0), (SELECT count(*) FROM marts.mart_coalitions)")
    assert spillovers > 0 and coalitions > 0
    # the demo's outcome reports: the impact account compared holds rows, every sensitivity scenario among them
    assert rows(db, "SELECT count(*) > 0, count(DISTINCT (parameter, scenario)) FROM marts.mart_impact_sensitivity"
                ) == [(True, 14)]
