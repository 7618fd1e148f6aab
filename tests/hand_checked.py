"""The hand-checked consortium (tests/fixtures/hand_checked), ingested in two
deliveries and built the way production builds it; shared by the mart and
extract tests (session-scoped fixture `marts` in conftest.py)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import yaml

from tests.ingest_helpers import Harness
from tests.marts_helpers import build_marts, dbt_build, rows

FIXTURE = Path(__file__).parent / "fixtures" / "hand_checked"
AS_OF = "2025-07-01T00:00:00Z"
EARLIER = "2025-06-10T00:00:00Z"
MARTS = ["mart_shared_value", "mart_resource_mix", "mart_spillovers", "mart_spillover_rejected_edges",
         "mart_org_spillovers", "mart_coalitions", "mart_boundary_spanners", "mart_consortium_monthly",
         "rejected_facts", "dim_initiatives", "dim_organisations", "mart_community_functions", "mart_initiative_health",
         "mart_consortium_health", "mart_social_report"]
snapshots: dict[str, object] = {}


def snapshot(db: Path) -> dict[str, list[tuple]]:
    return {mart: rows(db, f"SELECT * FROM marts.{mart} ORDER BY ALL") for mart in MARTS}


def build_hand_checked(root: Path):
    db = root / "wh.duckdb"
    feeds = yaml.safe_load((FIXTURE / "registry.yml").read_text())["feeds"]
    for feed in feeds:
        feed["landing"] = str(FIXTURE / feed["landing"])
    harness = Harness(root, feeds=feeds, db=db)
    stored = sum(o.stored for org in ("alfa", "gamma") for o in harness.ingest(org, now=datetime(2025, 6, 1)))
    dbt_build(db, as_of=EARLIER)
    snapshots["known_on_10_june"] = snapshot(db)
    snapshots["contribution_facts_before"] = rows(db, "SELECT count(*) FROM intermediate.int_facts__contributions")
    stored += sum(o.stored for o in harness.ingest("beta", now=datetime(2025, 6, 15)))
    assert stored == 39
    mp = pytest.MonkeyPatch()
    mp.setenv("COOPMETRICS_WAREHOUSE", str(db))
    mp.setenv("COOPMETRICS_REGISTRY", str(FIXTURE / "registry.yml"))
    mp.setenv("DAGSTER_HOME", str(root / "dagster_home"))
    build_marts(as_of=AS_OF)  # incremental, through Dagster, extracts included
    return db, mp
