"""The report's charts, as altair (Vega-Lite) specifications built from the
marts, each with a one-line reading of what it shows. A chart is skipped
when its mart is not in the data (a partner's extract holds only some).
The marts come out of DuckDB as polars frames (Arrow, no pandas copy),
which altair reads as they are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import altair as alt
import duckdb
import polars as pl

from orchestration.core.schemas import payload_rule

MAX_EDGES = 400  # a spillover graph beyond this is unreadable: the most recent edges are drawn, and said so
MAX_COALITIONS = 150  # likewise the coalition timeline
WIDTH = 640


@dataclass(frozen=True)
class Chart:
    title: str
    reading: str
    spec: dict
    notes: str = ""  # HTML shown under the chart (already escaped): the tables its figures rest on


def frame_of(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None) -> pl.DataFrame:
    # money is DECIMAL in the marts: charts draw it as floats (Vega-Lite has no decimals)
    return con.sql(sql, params=params or None).pl().with_columns(pl.col(pl.Decimal).cast(pl.Float64))


def shared_value(con: duckdb.DuckDBPyConnection) -> Chart:
    frame = frame_of(con, """
        UNPIVOT (SELECT org_id, month, sum(own_value_eur) AS own, sum(coproduced_value_eur) AS "co-produced",
                        sum(resources_eur) AS resources
                 FROM mart_shared_value GROUP BY ALL)
        ON own, "co-produced", resources INTO NAME component VALUE eur ORDER BY ALL""").with_columns(
        # contributed value is a fraction of the resources: each gets a panel and a scale of its own
        panel=pl.when(pl.col("component") == "resources").then(pl.lit("resources committed"))
        .otherwise(pl.lit("value contributed: own and co-produced")))
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("yearmonth(month):O", title="month"), y=alt.Y("sum(eur):Q", title="EUR"),
        color=alt.Color("component:N", title="value"), tooltip=["org_id", "month", "component", "eur"],
    ).properties(width=WIDTH // 2 - 20, height=110).facet(
        row=alt.Row("org_id:N", title="organisation"),
        column=alt.Column("panel:N", title=None,
                          sort=["value contributed: own and co-produced", "resources committed"]),
    ).resolve_scale(y="independent")
    totals = frame.group_by("org_id").agg(pl.col("eur").sum()).sort(["eur", "org_id"], descending=[True, False])
    contributed = frame.filter(pl.col("panel") != "resources committed")
    share = (contributed.filter(pl.col("component") == "co-produced")["eur"].sum()
             / (contributed["eur"].sum() or float("nan")))
    if totals.height > 1:
        whose = f"the most value went to {totals['org_id'][0]}"
    else:
        whose = f"the chart holds {totals['org_id'][0]}'s initiatives alone" if totals.height else "no value recorded"
    return Chart("Shared value per month", f"Own and co-produced value (left) and resources (right) each month, by "
                 f"organisation; {share:.0%} of the value contributed was co-produced with others; {whose}.",
                 chart.to_dict())


def spillover_graph(con: duckdb.DuckDBPyConnection) -> Chart:
    edges = frame_of(con, f"""
        SELECT p.org_id AS parent_org, p.initiative_id AS parent, p.launched_at AS parent_at,
               c.org_id AS child_org, c.initiative_id AS child, c.launched_at AS child_at,
               CASE WHEN p.org_id <> c.org_id THEN 'across organisations' ELSE 'within one organisation' END AS link
        FROM dim_initiatives AS c
        JOIN dim_initiatives AS p ON p.org_id = c.parent_org_id AND p.initiative_id = c.parent_initiative_id
        WHERE p.launched_at < c.launched_at
        ORDER BY c.launched_at DESC LIMIT {MAX_EDGES}""")
    # the initiatives the drawn edges join: every initiative of a large consortium would be a cloud of dots
    ends = pl.concat([edges.select(org_id="parent_org", initiative_id="parent"),
                      edges.select(org_id="child_org", initiative_id="child")]).unique()
    con.register("drawn_initiatives", ends)
    nodes = frame_of(con, "SELECT org_id, initiative_id, launched_at, sector FROM dim_initiatives "
                        "SEMI JOIN drawn_initiatives USING (org_id, initiative_id)")
    con.unregister("drawn_initiatives")
    rules = alt.Chart(edges).mark_rule(strokeWidth=1.5).encode(
        x="parent_at:T", x2="child_at:T", y=alt.Y("parent_org:N", title="organisation"), y2="child_org:N",
        color=alt.Color("link:N", title="spillover",
                        scale=alt.Scale(domain=["across organisations", "within one organisation"],
                                        range=["#d62728", "#bbbbbb"])),
        tooltip=["parent_org", "parent", "child_org", "child"])
    points = alt.Chart(nodes).mark_circle(size=60, opacity=0.8).encode(
        x=alt.X("launched_at:T", title="launched", axis=alt.Axis(format="%Y", tickCount="year")), y="org_id:N",
        fill=alt.Fill("org_id:N", title="organisation"), tooltip=["org_id", "initiative_id", "sector"])
    shown = f"the {MAX_EDGES} most recent of them" if len(edges) == MAX_EDGES else "all of them"
    cross = edges.filter(pl.col("link") == "across organisations").height
    return Chart("Spillovers between initiatives",
                 f"Each dot is an initiative (by organisation and launch); each line a counted spillover from "
                 f"parent to child, red when it crosses organisations ({cross} of {len(edges)} drawn; {shown}).",
                 alt.layer(rules, points).properties(width=WIDTH, height=220).to_dict())


def resource_mix(con: duckdb.DuckDBPyConnection) -> Chart:
    frame = frame_of(con, """
        UNPIVOT (SELECT * EXCLUDE (total_eur, resource_mix_index) FROM mart_resource_mix)
        ON COLUMNS(* EXCLUDE (org_id, quarter)) INTO NAME source VALUE eur ORDER BY ALL""").with_columns(
        pl.col("source").str.strip_suffix("_eur").str.replace_all("_", " "))  # crowdfunding_eur: crowdfunding
    index = frame_of(con, "SELECT org_id, quarter, resource_mix_index FROM mart_resource_mix ORDER BY ALL")
    bars = alt.Chart(frame).mark_bar().encode(
        x=alt.X("yearquarter(quarter):O", title="quarter"), y=alt.Y("sum(eur):Q", title="EUR"),
        color=alt.Color("source:N", title="source"), tooltip=["org_id", "quarter", "source", "eur"])
    line = alt.Chart(index).mark_line(point=True, color="black").encode(
        x="yearquarter(quarter):O", y=alt.Y("resource_mix_index:Q", title="mix index (0-1)"))
    mean = index["resource_mix_index"].mean()
    mean = float("nan") if mean is None else mean
    return Chart("Resource mix", f"Resources by source each quarter, with the Gini-Simpson mix index (black; "
                 f"0 is a single source); mean index {mean:.2f}.", _faceted(bars, line, frame))


def _faceted(bars: alt.Chart, line: alt.Chart, frame: pl.DataFrame) -> dict:
    """One panel an organisation: its bars and its index line."""
    panels = [alt.layer(bars.transform_filter(alt.datum.org_id == org), line.transform_filter(
        alt.datum.org_id == org)).resolve_scale(y="independent").properties(title=org, width=WIDTH // 2, height=120)
              for org in sorted(frame["org_id"].unique())]
    return alt.vconcat(*panels).to_dict() if panels else alt.Chart(frame).mark_bar().to_dict()


def coalitions(con: duckdb.DuckDBPyConnection, as_of: str) -> Chart:
    frame = frame_of(con, f"""
        SELECT coalition_id, formed_at, coalesce(dissolved_at, CAST($as_of AS TIMESTAMPTZ)::TIMESTAMP) AS until,
               CASE WHEN dissolved_at IS NULL THEN 'active' ELSE 'dissolved' END AS state, member_orgs_current,
               member_orgs_ever FROM mart_coalitions
        ORDER BY formed_at DESC LIMIT {MAX_COALITIONS}""", {"as_of": as_of})
    total = con.execute("SELECT count(*), count(*) FILTER (WHERE dissolved_at IS NULL) FROM mart_coalitions"
                        ).fetchall()[0]
    chart = alt.Chart(frame).mark_bar(height=12).encode(
        x=alt.X("formed_at:T", title="life"), x2="until:T", y=alt.Y("coalition_id:N", title="coalition"),
        color=alt.Color("state:N", title="coalition"), tooltip=list(frame.columns)).properties(width=WIDTH)
    shown = f"; the {MAX_COALITIONS} formed last are drawn" if total[0] > MAX_COALITIONS else ""
    return Chart("Coalitions", f"Each bar is a coalition from its formation to its dissolution (or the as-of); "
                 f"{total[1]} of {total[0]} active{shown}.", chart.to_dict())


def boundary_spanners(con: duckdb.DuckDBPyConnection, through: date | None) -> Chart:
    """Up to the quarter `through` (the last holding an event): the mart counts open memberships up to the
    as-of, so its quarter holds members alone until events fall in it, and a line would dip there."""
    frame = frame_of(con, "SELECT org_id, quarter, people_active, boundary_spanners, boundary_spanner_share "
                        "FROM mart_boundary_spanners WHERE $through IS NULL OR quarter <= $through ORDER BY ALL",
                     {"through": through})
    chart = alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("yearquarter(quarter):O", title="quarter"),
        y=alt.Y("boundary_spanner_share:Q", title="share of active people in 2+ organisations"),
        color=alt.Color("org_id:N", title="organisation"), tooltip=list(frame.columns)).properties(width=WIDTH)
    return Chart("Boundary spanners", "The share of each organisation's active people who were active in two or "
                 "more organisations that quarter (missing where a count below k is suppressed).", chart.to_dict())


def feedback(con: duckdb.DuckDBPyConnection) -> Chart:
    score = payload_rule("feedback.recorded", "score")
    scale = f"{score['minimum']}-{score['maximum']}"
    frame = frame_of(con, "SELECT month, feedback_score_avg FROM mart_consortium_monthly "
                        "WHERE feedback_score_avg IS NOT NULL ORDER BY 1")
    chart = alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("yearmonth(month):O", title="month"),
        y=alt.Y("feedback_score_avg:Q", title=f"mean score ({scale})",
                scale=alt.Scale(domain=[score["minimum"], score["maximum"]])),
        tooltip=list(frame.columns)).properties(width=WIDTH)
    return Chart("Stakeholder feedback", f"The mean stakeholder score ({scale}) of each month's feedback, across "
                 "the consortium.", chart.to_dict())
