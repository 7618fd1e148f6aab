"""Every mart of docs/metrics.md on the hand-checked consortium of
tests/fixtures/hand_checked (39 events), as known at 2025-07-01T00:00Z.
Each expected value below was worked out on paper from docs/metrics.md; the
comments give the arithmetic. Money is compared to the cent (as text).

The marts are built the way production builds them: alfa and gamma deliver
on 1 June (marts built as known on 10 June), beta delivers its whole log
late on 15 June and the pipeline runs incrementally. The last test checks
that this equals a full replay and that the 10 June state can be rebuilt."""

from __future__ import annotations

import shutil

import pytest

from tests.hand_checked import AS_OF, EARLIER, snapshot, snapshots
from tests.marts_helpers import dbt_build, rows

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hand_checked")]
approx = pytest.approx


def test_shared_value(marts):
    got = rows(marts, """
        SELECT org_id, initiative_id, month::VARCHAR, own_value_eur::VARCHAR, coproduced_value_eur::VARCHAR,
               resources_eur::VARCHAR, total_value_eur::VARCHAR, coproduction_ratio, contributing_orgs,
               contributors, feedback_count, feedback_score_avg
        FROM marts.mart_shared_value ORDER BY 1, 2, 3""")
    assert got == [
        # Jan: A06 v1 10 h x 18 = 180 internal (p1 member since 5 Jan); A07 5 h x 18 = 90 external
        # (p9 no member, no contributor_org_id -> community); A05 grant 1000; A08 score 4
        ("alfa", "a1", "2025-01-01", "180.00", "90.00", "1000.00", "1270.00", approx(90 / 270), 2, 2, 1, 4.0),
        # Feb: A10 v1 2.5 h = 45 internal (p2 member 6 Jan-15 Mar); B04 250 eur from beta (external);
        # A11 (100 h) was retracted by A12; A14 fees 500; B05 score 2
        ("alfa", "a1", "2025-02-01", "45.00", "250.00", "500.00", "795.00", approx(250 / 295), 2, 2, 1, 2.0),
        # Mar: A17 100 m2_day x 0.60 = 60, p2 left on 15 Mar -> external, community
        ("alfa", "a1", "2025-03-01", "0.00", "60.00", "0.00", "60.00", 1.0, 1, 1, 0, None),
        # Apr: A19 earned income 300 for a5, dated before a5's launch (accepted)
        ("alfa", "a5", "2025-04-01", "0.00", "0.00", "300.00", "300.00", None, 0, 0, 0, None),
        # Mar: B10 own knowledge 12.50 (value given); C05 space 2 days x 40 = 80 co-produced;
        # B08 crowdfunding 200; C06 score 5
        ("beta", "b1", "2025-03-01", "12.50", "80.00", "200.00", "292.50", approx(80 / 92.5), 0, 0, 1, 5.0),
    ]


def test_rejected_facts(marts):
    # B11 contributes to beta/zz, which never existed. B02 forms K2, which alfa's A15 (stored on 1 June,
    # B02 only on 15 June) formed first by storage order, whatever their dates
    assert rows(marts, "SELECT event_type, org_id, event_id, initiative_org_id, initiative_id, coalition_id, reason "
                       "FROM marts.rejected_facts ORDER BY event_id") == [
        ("coalition.formed", "beta", "B02", None, None, "K2", "coalition_exists"),
        ("contribution.logged", "beta", "B11", "beta", "zz", None, "initiative_unknown")]


def test_resource_mix(marts):
    got = rows(marts, """
        SELECT org_id, quarter::VARCHAR, public_grant_eur::VARCHAR, private_donation_eur::VARCHAR,
               member_fees_eur::VARCHAR, earned_income_eur::VARCHAR, partner_org_eur::VARCHAR,
               crowdfunding_eur::VARCHAR, total_eur::VARCHAR, resource_mix_index
        FROM marts.mart_resource_mix ORDER BY 1, 2""")
    assert got == [
        # 1000 grant + 500 fees: 1 - ((2/3)^2 + (1/3)^2) = 4/9
        ("alfa", "2025-01-01", "1000.00", "0.00", "500.00", "0.00", "0.00", "0.00", "1500.00", approx(4 / 9)),
        # a single source: 0
        ("alfa", "2025-04-01", "0.00", "0.00", "0.00", "300.00", "0.00", "0.00", "300.00", 0.0),
        ("beta", "2025-01-01", "0.00", "0.00", "0.00", "0.00", "0.00", "200.00", "200.00", 0.0),
    ]


def test_spillovers(marts):
    got = rows(marts, """
        SELECT org_id, initiative_id, direct_spillovers, total_spillovers, max_depth, cross_org_spillovers,
               cross_sector_spillovers, cross_locality_spillovers, own_value_eur::VARCHAR,
               spillover_value_eur::VARCHAR, spillover_multiplier, days_to_first_spillover
        FROM marts.mart_spillovers ORDER BY 1, 2""")
    assert got == [
        # a1 -> b1 (beta, housing, Napoli) -> c1 (gamma, replicated: housing from b1, Trento); a1 -> a5.
        # Lifetime a1 = 1270 + 795 + 60 = 2125; descendants b1 292.50 + c1 0 + a5 300 = 592.50.
        # First child b1: 10 Jan 12:00 -> 10 Feb 12:00 = 31 days.
        ("alfa", "a1", 2, 3, 2, 2, 2, 2, "2125.00", "592.50", approx(592.5 / 2125), 31),
        ("alfa", "a2", 0, 0, 0, 0, 0, 0, "0.00", "0.00", None, None),  # parent gamma/c9 unknown
        ("alfa", "a3", 0, 0, 0, 0, 0, 0, "0.00", "0.00", None, None),  # parent a4 launched later
        ("alfa", "a4", 0, 0, 0, 0, 0, 0, "0.00", "0.00", None, None),
        ("alfa", "a5", 0, 0, 0, 0, 0, 0, "300.00", "0.00", 0.0, None),
        # b1 -> c1: other org, same sector (copied), other locality; 10 Feb -> 20 Mar = 38 days
        ("beta", "b1", 1, 1, 1, 1, 0, 1, "292.50", "0.00", 0.0, 38),
        ("gamma", "c1", 0, 0, 0, 0, 0, 0, "0.00", "0.00", None, None),
    ]
    # b2 was launched and retracted: it never existed
    assert rows(marts, "SELECT child_initiative_id, parent_org_id, parent_initiative_id, rejection_reason "
                       "FROM marts.mart_spillover_rejected_edges ORDER BY 1") == [
        ("a2", "gamma", "c9", "parent_unknown"), ("a3", "alfa", "a4", "parent_not_earlier")]


def test_org_spillovers(marts):
    # counted edges: alfa->beta (a1->b1), beta->gamma (b1->c1), alfa->alfa (a1->a5)
    assert rows(marts, "SELECT * FROM marts.mart_org_spillovers ORDER BY 1") == [
        ("alfa", 1, 0, 1, 1), ("beta", 1, 1, 0, 0), ("gamma", 0, 1, 0, -1)]


def test_coalitions(marts):
    got = rows(marts, """
        SELECT coalition_id, formed_at::VARCHAR, dissolved_at::VARCHAR, lifespan_days, member_orgs_ever,
               member_orgs_current, sector_diversity, localities
        FROM marts.mart_coalitions ORDER BY 1""")
    assert got == [
        # K1: alfa+beta found it 12 Jan, gamma joins, beta leaves, dissolved 12 Apr (90 days);
        # beta's join in May comes after the end. Sectors ever: agriculture, housing (2 of 3 members).
        ("K1", "2025-01-12 10:00:00", "2025-04-12 10:00:00", 90, 3, 2, approx(2 / 3), 3),
        # K2: alfa's A15 (alfa+beta, 3 Mar) was stored on 1 June, beta's B02 (beta+gamma, 2 Feb) only
        # on 15 June: the first stored formation founds it, B02 is coalition_exists; gamma's join of
        # 2 Jan came before it existed. Open: 3 Mar 10:00 -> 1 Jul 00:00 = 119.6 days. Sectors:
        # agriculture, housing of 2 members; localities Bologna, Napoli.
        ("K2", "2025-03-03 10:00:00", None, 119, 2, 2, 1.0, 2),
    ]


def test_boundary_spanners(marts):
    got = rows(marts, "SELECT org_id, quarter::VARCHAR, people_active, boundary_spanners, boundary_spanner_share "
                      "FROM marts.mart_boundary_spanners ORDER BY 2, 1")
    # p1 is a member of alfa (from 5 Jan) and beta (from 10 Jan), open: a spanner every quarter.
    # alfa Q1 also has p2 (member to 15 Mar) and p9 (contributor). Q3 starts at as_of itself, where
    # the open memberships are still active.
    assert got == [
        ("alfa", "2025-01-01", 3, 1, approx(1 / 3)), ("beta", "2025-01-01", 1, 1, 1.0),
        ("gamma", "2025-01-01", 1, 0, 0.0),
        ("alfa", "2025-04-01", 1, 1, 1.0), ("beta", "2025-04-01", 1, 1, 1.0), ("gamma", "2025-04-01", 1, 0, 0.0),
        ("alfa", "2025-07-01", 1, 1, 1.0), ("beta", "2025-07-01", 1, 1, 1.0), ("gamma", "2025-07-01", 1, 0, 0.0),
    ]


def test_consortium_monthly(marts):
    got = rows(marts, """
        SELECT month::VARCHAR, orgs_active, initiatives_launched, spillover_edges, cross_org_spillover_edges,
               total_value_eur::VARCHAR, coproduced_value_eur::VARCHAR, coproduction_ratio, active_members,
               feedback_score_avg
        FROM marts.mart_consortium_monthly ORDER BY 1""")
    assert got == [
        # Jan: all three emit (gamma's early coalition.joined counts as activity); a1; members p1, p2
        ("2025-01-01", 3, 1, 0, 0, "1270.00", "90.00", approx(90 / 270), 2, 4.0),
        # Feb: a3, a4, b1 (edge a1->b1 crosses orgs); members p1, p2, p3 (joined 1 Feb)
        ("2025-02-01", 3, 3, 1, 1, "795.00", "250.00", approx(250 / 295), 3, 2.0),
        # Mar: c1 (b2 retracted); value a1 60 + b1 292.50; own 12.50, co-produced 140; p2 left
        ("2025-03-01", 3, 1, 1, 1, "352.50", "140.00", approx(140 / 152.5), 2, 5.0),
        # Apr: alfa and beta (B11, a rejected fact, is still a stored event); a2 (rejected edge)
        ("2025-04-01", 2, 1, 0, 0, "300.00", "0.00", None, 2, None),
        # May: a5 (internal edge from a1); beta's late coalition.joined
        ("2025-05-01", 2, 1, 1, 0, "0.00", "0.00", None, 2, None),
    ]


def test_incremental_equals_full_replay_and_as_of_rebuilds_the_past(marts, tmp_path):
    incremental = snapshot(marts)
    # the incremental fact model only appended beta's two contributions
    before = snapshots["contribution_facts_before"][0][0]
    assert rows(marts, "SELECT count(*) FROM intermediate.int_facts__contributions") == [(before + 2,)]

    # the late delivery changed the past: February gains b1's launch, its
    # cross-org edge and beta's 250 EUR contribution to a1 (545 -> 795)
    def february(state):
        return next(r for r in state["mart_consortium_monthly"] if str(r[0]) == "2025-02-01")

    known_then = snapshots["known_on_10_june"]
    assert (february(known_then)[2], february(known_then)[3], str(february(known_then)[5])) == (2, 0, "545.00")
    assert (february(incremental)[2], february(incremental)[3], str(february(incremental)[5])) == (3, 1, "795.00")

    # rebuild a copy, so the marts fixture stays as it was for other tests
    replay = tmp_path / "replay.duckdb"
    shutil.copy(marts, replay)
    dbt_build(replay, as_of=AS_OF, full_refresh=True)
    assert snapshot(replay) == incremental

    # replay: the marts rebuilt as known on 10 June are those built on 10 June
    dbt_build(replay, as_of=EARLIER)
    assert snapshot(replay) == known_then
