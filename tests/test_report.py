"""The consortium report and a partner's, on the hand-checked consortium:
static HTML with rendered charts and no link outside itself, one headline
figure per mart equal to the marts' own numbers (worked out by hand in
test_marts_hand_checked.py), and a partner's holds only what its extract
holds."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal

import duckdb
import pytest

from orchestration.cli import main as cli
from orchestration.report.build import HEADLINES, consortium_report, report_charts
from tests.marts_helpers import rows

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hand_checked")]


def figures(page: str) -> dict[str, str]:
    """mart -> its headline figure as the page shows it."""
    return {mart: value for value, mart in re.findall(
        r"<td class='figure'>([^<]*)</td><td class='whose'>[^<]*</td><td><code>(\w+)</code>", page)}


def whose(page: str) -> dict[str, str]:
    """mart -> whose figure the page says its headline is."""
    return dict((mart, who) for who, mart in re.findall(r"<td class='whose'>([^<]*)</td><td><code>(\w+)</code>", page))


def test_the_consortium_report_names_every_marts_headline_figure(marts, tmp_path, capsys):
    assert cli(["report", "--out", str(tmp_path / "report.html")]) == 0
    page = (tmp_path / "report.html").read_text()
    assert set(figures(page)) == set(HEADLINES)
    # by hand: shared value 2717.50 in all (1762.50 own ... ), resources 1900.00; two coalitions, K1
    # dissolved; alfa's a1 spawned children
    total = rows(marts, "SELECT round(sum(total_value_eur), 2) FROM marts.mart_consortium_monthly")[0][0]
    assert total == Decimal("2717.50")
    assert figures(page)["mart_consortium_monthly"] == "2,717.50"
    assert figures(page)["mart_coalitions"] == "1"
    resources = rows(marts, "SELECT sum(total_eur) FROM marts.mart_resource_mix")[0][0]
    assert figures(page)["mart_resource_mix"] == f"{resources:,.2f}"
    for title in ("Shared value per month", "Spillovers between initiatives", "Resource mix", "Coalitions",
                  "Boundary spanners", "Stakeholder feedback",
                  "The community manager&#x27;s five functions, by organisation",
                  "The health of initiatives and of the consortium"):
        assert f"<h2>{title}</h2>" in page
    assert page.count("<svg") >= 8 and "As of 2025-07-01T00:00:00Z." in page
    assert not re.search(r"(src|href)=\"https?://", page)  # readable offline: nothing fetched


def test_a_partners_report_holds_only_what_its_extract_holds(marts):
    page = (marts.parent / "extracts" / "alfa" / "report.html").read_text()
    assert set(figures(page)) == set(HEADLINES)
    own = rows(marts, "SELECT round(sum(coproduced_value_eur), 2) FROM marts.mart_shared_value "
                      "WHERE org_id = 'alfa'")[0][0]
    everyone = rows(marts, "SELECT round(sum(coproduced_value_eur), 2) FROM marts.mart_shared_value")[0][0]
    assert own != everyone and figures(page)["mart_shared_value"] == f"{own:,.2f}"
    assert "Spillovers between initiatives" not in page  # the initiative graph is not in any extract
    # which figures are its own and which the consortium's, and no reading ranks organisations it cannot see
    assert whose(page)["mart_shared_value"] == "alfa (your organisation)"
    assert whose(page)["mart_consortium_monthly"] == "the consortium"
    assert "the most value went to" not in page and "the chart holds alfa&#x27;s initiatives alone" in page
    # no initiative of another organisation is named
    others = {r[0] for r in rows(marts, "SELECT initiative_id FROM marts.mart_shared_value WHERE org_id <> 'alfa'")}
    assert others and not [i for i in others if f">{i}<" in page]
    funder = (marts.parent / "extracts" / "funder" / "report.html").read_text()
    assert set(figures(funder)) == {"mart_consortium_monthly", "mart_coalitions", "mart_org_spillovers",
                                    "mart_impact_org_year"}


def test_a_large_consortium_is_drawn_within_bounds_and_says_so(marts, tmp_path, monkeypatch):
    monkeypatch.setattr("orchestration.report.charts.MAX_EDGES", 2)
    monkeypatch.setattr("orchestration.report.charts.MAX_COALITIONS", 1)
    monkeypatch.setattr("orchestration.report.community.MAX_QUARTERS", 1)
    assert cli(["report", "--out", str(tmp_path / "report.html")]) == 0
    page = (tmp_path / "report.html").read_text()
    assert re.search(r"The latest 1 of [2-9] quarters are drawn\.", page)  # the functions and the people lines
    assert "of 2 drawn; the 2 most recent of them)" in page
    assert "1 of 2 active; the 1 formed last are drawn." in page


def test_a_chart_drawn_before_is_taken_from_the_cache_and_a_changed_one_drawn_again(marts, tmp_path):
    copy = tmp_path / "wh.duckdb"
    shutil.copy(marts, copy)
    cache = tmp_path / "chart_cache"

    def report(name: str, cached: bool = True) -> str:
        con = duckdb.connect(str(copy))
        try:
            return consortium_report(con, tmp_path / name, chart_cache=cache if cached else None).read_text()
        finally:
            con.close()

    first = report("first.html")
    drawn = {file.name: file.stat().st_mtime_ns for file in cache.glob("*.svg")}
    assert len(drawn) == 8
    assert report("again.html") == first
    assert {file.name: file.stat().st_mtime_ns for file in cache.glob("*.svg")} == drawn  # none drawn again
    # the resource mix changes: its chart alone is drawn again, and the one it replaces is dropped
    con = duckdb.connect(str(copy))
    con.execute("UPDATE marts.mart_resource_mix SET resource_mix_index = resource_mix_index / 2").fetchall()
    con.close()
    changed = report("changed.html")
    now = {file.name for file in cache.glob("*.svg")}
    assert len(now) == 8 and len(now - set(drawn)) == 1
    assert changed == report("uncached.html", cached=False) != first


def _quarters_drawn(spec: dict) -> list[str]:
    """The quarters a chart's data holds, as the first day of each (its inline datasets)."""
    return [str(row["quarter"])[:10] for rows in spec.get("datasets", {}).values() for row in rows
            if row.get("quarter") is not None]


def test_quarterly_lines_stop_at_the_last_quarter_with_data(marts, tmp_path):
    copy = tmp_path / "wh.duckdb"
    shutil.copy(marts, copy)
    # the hand-checked events run to May 2025 and the marts are as of 1 July 2025: Q2 is the last
    # quarter holding an event, and the as-of's own quarter (Q3, one instant of it known) holds none
    last = rows(copy, "SELECT max(occurred_at) FROM intermediate.int_events__effective")[0][0]
    assert last.isoformat()[:7] == "2025-05"
    con = duckdb.connect(str(copy))
    try:
        con.execute("SET search_path = 'marts'")
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts'").fetchall()}
        charts = report_charts(con, tables, "2025-07-01T00:00:00Z")
        drawn = {chart.title: _quarters_drawn(chart.spec) for chart in charts}
    finally:
        con.close()
    quarterly = {title: quarters for title, quarters in drawn.items() if quarters}
    assert {"Resource mix", "Boundary spanners", "The health of initiatives and of the consortium",
            "The community manager's five functions, by organisation"} <= set(quarterly)
    for title, quarters in quarterly.items():
        assert max(quarters) == "2025-04-01", title  # ends at Q2 2025, never at the as-of's quarter
