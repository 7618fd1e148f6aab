"""The descendant aggregation of the spillover forest (the dbt Python model
int_spillover_subtrees), on small forests worked out by hand."""

from __future__ import annotations

import importlib.util

import pandas as pd

from orchestration.core.settings import DBT_PROJECT_DIR

_spec = importlib.util.spec_from_file_location(
    "int_spillover_subtrees",
    DBT_PROJECT_DIR / "models" / "intermediate" / "spillover_forest" / "numpy" / "int_spillover_subtrees.py")
forest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(forest)


def nodes(rows):
    return pd.DataFrame(rows, columns=["org_id", "initiative_id", "sector", "locality", "parent_org_id",
                                       "parent_initiative_id", "lifetime_value_micro"])


def test_a_small_forest_by_hand():
    # o1/a -> o2/b -> o3/c, o1/a -> o1/d; o4/e alone. Values in micro-euros.
    got = forest.subtree_aggregates(nodes([
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


def test_a_long_chain_is_linear_not_quadratic():
    n = 20_000
    chain = nodes([("o", f"i{k}", "s", "l", "o" if k else None, f"i{k - 1}" if k else None, 1) for k in range(n)])
    got = forest.subtree_aggregates(chain).set_index("initiative_id")
    assert got.loc["i0"][["total_spillovers", "max_depth", "spillover_value_micro"]].tolist() == [n - 1, n - 1, n - 1]
    assert got.loc[f"i{n - 1}"]["total_spillovers"] == 0
    assert got.loc["i5000"]["total_spillovers"] == n - 5001
