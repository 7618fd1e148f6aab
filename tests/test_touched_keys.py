"""The tables kept by touched keys (dbt_project/macros/touched_keys.sql)
after deliveries that move old rows in every way a later event can: a
retracted membership, a member leaving, a membership that starts before
contributions already stored, an initiative launched after its facts, a
launch retracted and then made again, a retraction stored before its
target, retracted facts of each kind and a late fact in an old month.
Each delivery goes through the pipeline and updates those tables from the
previous build's bound; every intermediate table and mart must then equal a
--full-refresh of the same warehouse, and the hand-worked figures below
must hold."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.ingest_helpers import envelope, lines
from tests.marts_helpers import dbt_build, mart_fingerprints
from tests.test_incremental_replay import AS_OF, _built_from, _run

pytestmark = [pytest.mark.slow, pytest.mark.replay]


def _contribution(event_id: str, org_id: str, initiative: tuple[str, str], person: str, hours: float,
                  at: str) -> dict:
    return envelope(event_id, org_id, "contribution.logged", 2, at, {
        "initiative": {"org_id": initiative[0], "initiative_id": initiative[1]}, "person_ref": person,
        "kind": "time", "amount": hours, "unit": "hour"})


def _member(event_id: str, person: str, at: str, left: bool = False) -> dict:
    return envelope(event_id, "alfa", "member.left" if left else "member.joined", 1, at,
                    {"person_ref": person} if left else {"person_ref": person, "role": "member"})


def _launch(event_id: str, org_id: str, initiative_id: str, at: str) -> dict:
    return envelope(event_id, org_id, "initiative.launched", 1, at, {
        "initiative_id": initiative_id, "title": initiative_id, "sector": "housing", "locality": "Bologna"})


def _retract(event_id: str, org_id: str, target: str, at: str) -> dict:
    return envelope(event_id, org_id, "event.retracted", 1, at, {"event_id": target, "reason": "mistake"})


A1, A2, A3, B1 = ("alfa", "a1"), ("alfa", "a2"), ("alfa", "a3"), ("beta", "b1")
DELIVERIES = [
    {"alfa": [_member("A01", "p1", "2025-01-05T10:00:00Z"), _member("A02", "p2", "2025-01-06T10:00:00Z"),
              _launch("A03", "alfa", "a1", "2025-01-10T10:00:00Z"),
              _contribution("A04", "alfa", A1, "p1", 10, "2025-01-20T10:00:00Z"),
              _contribution("A05", "alfa", A1, "p2", 2, "2025-02-05T10:00:00Z"),
              _contribution("A06", "alfa", A1, "p3", 4, "2025-02-10T10:00:00Z"),
              _contribution("A07", "alfa", A2, "p1", 3, "2025-02-12T10:00:00Z"),
              _launch("A08", "alfa", "a3", "2025-01-15T10:00:00Z"),
              _contribution("A09", "alfa", A3, "p2", 1, "2025-03-01T10:00:00Z"),
              envelope("A10", "alfa", "resource.committed", 1, "2025-03-02T10:00:00Z",
                       {"initiative_id": "a3", "source_type": "public_grant", "amount_eur": 500}),
              envelope("A11", "alfa", "feedback.recorded", 1, "2025-03-03T10:00:00Z", {
                  "initiative": {"org_id": "alfa", "initiative_id": "a3"}, "stakeholder_type": "beneficiary",
                  "dimension": "what", "score": 3}),
              _contribution("A13", "alfa", A1, "p1", 5, "2025-03-10T10:00:00Z"),
              _contribution("A14", "alfa", A1, "p2", 6, "2025-03-05T10:00:00Z")],
     "beta": [_launch("B01", "beta", "b1", "2025-01-08T10:00:00Z"),
              _contribution("B02", "beta", B1, "q1", 7, "2025-02-01T10:00:00Z"),
              envelope("B03", "beta", "asset.shared", 1, "2025-02-02T10:00:00Z", {
                  "asset_id": "hall", "asset_type": "space", "initiative": {"org_id": "alfa", "initiative_id": "a1"},
                  "days": 2, "value_eur": 80})]},
    {"alfa": [_retract("A20", "alfa", "A01", "2025-04-01T10:00:00Z"),  # p1 was never a member
              _launch("A21", "alfa", "a2", "2025-02-01T10:00:00Z"),  # after A07 was stored
              _retract("A22", "alfa", "A08", "2025-04-01T11:00:00Z"),  # a3 no longer exists
              _member("A24", "p2", "2025-02-20T10:00:00Z", left=True),  # A14 becomes external
              _contribution("A26", "alfa", A1, "p3", 8, "2025-01-25T10:00:00Z")],  # late, into January
     "beta": [_retract("B04", "beta", "B03", "2025-04-02T10:00:00Z")]},
    {"alfa": [_contribution("A30", "alfa", A1, "p2", 50, "2025-04-03T10:00:00Z"),
              _retract("A34", "alfa", "A30", "2025-04-03T11:00:00Z"),  # in the same delivery
              _launch("A31", "alfa", "a3", "2025-04-01T10:00:00Z"),  # a3 exists again
              _member("A32", "p3", "2025-01-01T10:00:00Z"),  # A06 and A26 become internal
              _retract("A33", "alfa", "A10", "2025-04-04T10:00:00Z")],
     "beta": [_retract("B05", "beta", "B02", "2025-04-04T10:00:00Z")]},
]


def _rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_tables_kept_by_touched_keys_equal_a_full_refresh(tmp_path, monkeypatch):
    monkeypatch.delenv("COOPMETRICS_PEPPER", raising=False)
    db = tmp_path / "coopmetrics.duckdb"
    (tmp_path / "registry.yml").write_text("feeds:\n" + "".join(
        f"  - {{org_id: {org}, name: {org.title()}, sector: housing, locality: Bologna, format: ndjson, "
        f"landing: \"landing/{org}/*.ndjson\", demo: true}}\n" for org in ("alfa", "beta")))
    monkeypatch.setenv("COOPMETRICS_WAREHOUSE", str(db))
    monkeypatch.setenv("COOPMETRICS_REGISTRY", str(tmp_path / "registry.yml"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))

    for number, delivery in enumerate(DELIVERIES, start=1):
        for org, records in delivery.items():
            path = tmp_path / "landing" / org / f"delivery-{number}.ndjson"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(lines(*records))
        assert _run().metadata["raw/events"]["stored"] == sum(map(len, delivery.values()))
    assert [bound > 0 for bound in _built_from(db)] == [False, True, True]

    # hand-worked after the three deliveries (an hour is worth 18 EUR)
    valued = _rows(db, "SELECT event_id, initiative_exists, is_external, contributing_org_id "
                       "FROM intermediate.int_contributions_valued ORDER BY event_id")
    assert valued == [
        ("A04", True, True, "community"),  # p1's membership was retracted
        ("A05", True, False, "alfa"),  # p2 was a member on 5 February
        ("A06", True, False, "alfa"),  # p3 joined on 1 January, delivered last
        ("A07", True, True, "community"),  # a2 launched after it was stored; p1 never a member
        ("A09", True, True, "community"),  # a3 launched again; p2 left on 20 February
        ("A13", True, True, "community"),
        ("A14", True, True, "community"),  # after p2 left
        ("A26", True, False, "alfa"),  # late, p3 a member since 1 January
    ]  # A30 and B02 retracted
    months = _rows(db, "SELECT initiative_id, strftime(month, '%Y-%m'), own_value_eur, coproduced_value_eur, "
                       "resources_eur, contributors, feedback_count FROM intermediate.int_initiative_months "
                       "ORDER BY ALL")
    assert [(m[0], m[1], float(m[2]), float(m[3]), float(m[4]), m[5], m[6]) for m in months] == [
        ("a1", "2025-01", 144.0, 180.0, 0.0, 2, 0),  # A26 (8 h) own, A04 (10 h) external
        ("a1", "2025-02", 108.0, 0.0, 0.0, 2, 0),  # A05 (2 h), A06 (4 h) own; B03 retracted
        ("a1", "2025-03", 0.0, 198.0, 0.0, 2, 0),  # A13 (5 h), A14 (6 h) external
        ("a2", "2025-02", 0.0, 54.0, 0.0, 1, 0),
        ("a3", "2025-03", 0.0, 18.0, 0.0, 1, 1),  # A10 retracted; A09 and A11 count again
    ]

    # the last build wrote again the facts of the delivery and those it moved: A30, A31 brought a3's
    # two facts, A32 brought p3's two contributions, A33 and B05 retracted one fact each
    assert _rows(db, "SELECT fact, event_id FROM intermediate.int_touched_facts ORDER BY ALL") == [
        ("contribution", "A06"), ("contribution", "A09"), ("contribution", "A26"), ("contribution", "A30"),
        ("contribution", "B02"), ("feedback", "A11"), ("resource", "A10")]
    stepwise = _every_table(db)
    dbt_build(db, AS_OF, full_refresh=True)
    assert _every_table(db) == stepwise


def _every_table(db: Path) -> dict[str, tuple[int, str]]:
    """Every intermediate table and mart but the list of what a build wrote again."""
    prints = {**mart_fingerprints(db, {}, "intermediate"), **mart_fingerprints(db, {})}
    del prints["int_touched_facts"]
    return prints
