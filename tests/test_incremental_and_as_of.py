"""Incremental runs equal a full replay, late events change the past months
they belong to, and any earlier state can be rebuilt as known at as_of."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import yaml

from tests.ingest_helpers import Harness
from tests.marts_helpers import dbt_build, rows

pytestmark = pytest.mark.slow
FIXTURE = Path(__file__).parent / "fixtures" / "hand_checked"
MARTS = ["mart_shared_value", "mart_resource_mix", "mart_spillovers", "mart_spillover_rejected_edges",
         "mart_org_spillovers", "mart_coalitions", "mart_boundary_spanners", "mart_consortium_monthly",
         "rejected_facts", "dim_initiatives", "dim_organisations"]


def snapshot(db: Path) -> dict[str, list[tuple]]:
    return {mart: rows(db, f"SELECT * FROM marts.{mart} ORDER BY ALL") for mart in MARTS}


def test_incremental_equals_full_replay_and_as_of_rebuilds_the_past(tmp_path):
    db = tmp_path / "wh.duckdb"
    feeds = yaml.safe_load((FIXTURE / "registry.yml").read_text())["feeds"]
    for feed in feeds:
        feed["landing"] = str(FIXTURE / feed["landing"])
    harness = Harness(tmp_path, feeds=feeds, db=db)

    # 1 June: alfa and gamma deliver; the marts as known on 10 June
    harness.ingest("alfa", now=datetime(2025, 6, 1))
    harness.ingest("gamma", now=datetime(2025, 6, 1))
    dbt_build(db, as_of="2025-06-10T00:00:00Z")
    known_on_10_june = snapshot(db)
    incremental_rows = rows(db, "SELECT count(*) FROM intermediate.int_facts__contributions")

    # 15 June: beta delivers its whole log late (events from February on)
    harness.ingest("beta", now=datetime(2025, 6, 15))
    dbt_build(db, as_of="2025-07-01T00:00:00Z")
    incremental = snapshot(db)
    # the incremental fact model only appended beta's two contributions
    assert rows(db, "SELECT count(*) FROM intermediate.int_facts__contributions") == [
        (incremental_rows[0][0] + 2,)]

    dbt_build(db, as_of="2025-07-01T00:00:00Z", full_refresh=True)
    assert snapshot(db) == incremental

    # the late events changed the past: February gains b1's launch, its cross-org
    # edge and beta's 250 EUR contribution to a1 (795 in all, see the hand-checked test)
    february = [r for r in incremental["mart_consortium_monthly"] if str(r[0]) == "2025-02-01"][0]
    february_before = [r for r in known_on_10_june["mart_consortium_monthly"] if str(r[0]) == "2025-02-01"][0]
    assert (february_before[2], february_before[3], str(february_before[5])) == (2, 0, "545.00")
    assert (february[2], february[3], str(february[5])) == (3, 1, "795.00")

    # replay: the marts rebuilt as known on 10 June are those built on 10 June
    dbt_build(db, as_of="2025-06-10T00:00:00Z")
    assert snapshot(db) == known_on_10_june
