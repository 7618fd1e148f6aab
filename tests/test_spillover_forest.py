"""The descendant aggregation of the spillover forest, int_spillover_subtrees,
on small forests worked out by hand: both implementations, the numpy Python
model (DuckDB) and the recursive SQL closure (engines without Python
models, run here by DuckDB), give the same hand-checked values."""

from __future__ import annotations

import importlib.util

import duckdb
import jinja2
import pandas as pd
import pytest

from orchestration.core.settings import DBT_PROJECT_DIR

FOREST_DIR = DBT_PROJECT_DIR / "models" / "intermediate" / "spillover_forest"
_spec = importlib.util.spec_from_file_location(
    "int_spillover_subtrees", FOREST_DIR / "numpy" / "int_spillover_subtrees.py")
forest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(forest)


def sql_closure(frame: pd.DataFrame) -> pd.DataFrame:
    """The SQL model, its ref() pointed at the given nodes, run by DuckDB."""
    template = jinja2.Template((FOREST_DIR / "sql" / "int_spillover_subtrees.sql").read_text())
    sql = template.render(config=lambda **_: "", ref=lambda name: name)
    con = duckdb.connect()
    try:
        con.register("int_spillover_nodes", frame)
        return con.sql(sql).df()
    finally:
        con.close()


IMPLEMENTATIONS = {"numpy": forest.subtree_aggregates, "sql": sql_closure}


def nodes(rows):
    return pd.DataFrame(rows, columns=["org_id", "initiative_id", "sector", "locality", "parent_org_id",
                                       "parent_initiative_id", "lifetime_value_micro"])


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
def test_a_small_forest_by_hand(implementation):
    # o1/a -> o2/b -> o3/c, o1/a -> o1/d; o4/e alone. Values in micro-euros.
    got = IMPLEMENTATIONS[implementation](nodes([
        ("o1", "a", "agri", "Bologna", None, None, 100_000_000),
        ("o2", "b", "housing", "Napoli", "o1", "a", 2_500_000),
        ("o3", "c", "housing", None, "o2", "b", 10_000),
        ("o1", "d", "agri", "Bologna", "o1", "a", 1),
        ("o4", "e", None, "Bari", None, None, 7),
    ])).set_index("initiative_id")
    # a: descendants b, c, d; depth 2; other orgs b, c; other sectors b, c; other
    # localities b only (c's is unknown); value 2.5 + 0.01 EUR + 1 micro-euro
    assert got.loc["a"].to_dict() == {
        "org_id": "o1", "total_spillovers": 3, "max_depth": 2, "spillover_value_micro": 2_510_001,
        "cross_org_spillovers": 2, "cross_sector_spillovers": 2, "cross_locality_spillovers": 1}
    # b: descendant c; same sector; c's locality unknown
    assert got.loc["b"][["total_spillovers", "max_depth", "cross_org_spillovers", "cross_sector_spillovers",
                         "cross_locality_spillovers", "spillover_value_micro"]].tolist() == [1, 1, 1, 0, 0, 10_000]
    for leaf in ("c", "d", "e"):
        assert got.loc[leaf][["total_spillovers", "max_depth", "spillover_value_micro"]].tolist() == [0, 0, 0]
    # e has no sector: nothing below it could differ anyway
    assert got.loc["e"]["cross_sector_spillovers"] == 0


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
def test_a_chain_and_a_wide_tree(implementation):
    # i0 -> i1 -> ... -> i39, and i0 with 30 children w0..w29 in another organisation
    chain = [("o", f"i{k}", "s", "l", "o" if k else None, f"i{k - 1}" if k else None, 2) for k in range(40)]
    wide = [("p", f"w{k}", "t", "l", "o", "i0", 5) for k in range(30)]
    got = IMPLEMENTATIONS[implementation](nodes(chain + wide)).set_index("initiative_id")
    assert got.loc["i0"][["total_spillovers", "max_depth", "spillover_value_micro", "cross_org_spillovers",
                          "cross_sector_spillovers", "cross_locality_spillovers"]].tolist() == [
        39 + 30, 39, 39 * 2 + 30 * 5, 30, 30, 0]
    assert got.loc["i1"][["total_spillovers", "max_depth", "spillover_value_micro"]].tolist() == [38, 38, 76]
    assert got.loc["w7"][["total_spillovers", "max_depth"]].tolist() == [0, 0]
    assert len(got) == 70


def test_a_long_chain_is_linear_not_quadratic():
    # numpy only: the SQL closure would hold n^2/2 pairs here (2e8), which is why DuckDB runs the numpy model
    n = 20_000
    chain = nodes([("o", f"i{k}", "s", "l", "o" if k else None, f"i{k - 1}" if k else None, 1) for k in range(n)])
    got = forest.subtree_aggregates(chain).set_index("initiative_id")
    assert got.loc["i0"][["total_spillovers", "max_depth", "spillover_value_micro"]].tolist() == [n - 1, n - 1, n - 1]
    assert got.loc[f"i{n - 1}"]["total_spillovers"] == 0
    assert got.loc["i5000"]["total_spillovers"] == n - 5001
