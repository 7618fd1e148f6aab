"""The report's impact section: each organisation's present value against
its inputs, the ratio with its coverage, and how far each assumption moves
the ratio (a tornado chart), each followed by the catalogue entries the
figures rest on, so that no ratio is shown without its assumptions."""

from __future__ import annotations

import html

import altair as alt
import duckdb
import polars as pl

from orchestration.report.charts import WIDTH, Chart, frame_of

IMPACT_TABLES = {"mart_impact_org_year", "mart_impact_sensitivity", "mart_impact_outcomes", "dim_outcomes"}
ENTRY_COLUMNS = (("outcome", "outcome"), ("outcome_unit", "unit"), ("proxy_eur", "proxy, EUR a unit a year"),
                 ("price_year", "prices of"), ("deadweight", "dead-weight"), ("displacement", "displace-ment"),
                 ("attribution", "attribu-tion"), ("drop_off", "drop-off"), ("duration_years", "years"),
                 ("proxy_source", "source of the proxy"))


def _table(frame: pl.DataFrame, columns: tuple[tuple[str, str], ...]) -> str:
    head = "".join(f"<th>{html.escape(title)}</th>" for _, title in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(row[name]))}</td>" for name, _ in columns) + "</tr>"
                   for row in frame.iter_rows(named=True))
    return f"<table class='entries'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(value: object) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) >= 10 else f"{value:.3g}"
    return str(value)


def catalogue_entries(con: duckdb.DuckDBPyConnection, pairs: pl.DataFrame) -> str:
    """The catalogue entries the reports of these (org_id, year) rows used, with the discount rate."""
    con.register("shown_org_years", pairs.select("org_id", "year"))
    try:
        entries = frame_of(con, """
            SELECT DISTINCT d.outcome_code || ': ' || d.outcome_label AS outcome, d.* FROM dim_outcomes AS d
            SEMI JOIN (SELECT outcome_code FROM mart_impact_outcomes SEMI JOIN shown_org_years USING (org_id, year))
                USING (outcome_code)
            ORDER BY outcome_code""")
    finally:
        con.unregister("shown_org_years")
    if entries.is_empty():
        return "<p class='reading'>No catalogue entry was used.</p>"
    rate = entries["discount_rate"][0]
    return (f"<p class='reading'>Catalogue entries used (the registry's impact: section), present values "
            f"discounted at {rate:.1%} a year:</p>" + _table(entries, ENTRY_COLUMNS))


def value_against_inputs(con: duckdb.DuckDBPyConnection) -> Chart:
    years = frame_of(con, """
        SELECT org_id, year, strftime(year, '%Y') AS year_label, initiatives_evaluated, present_value_eur,
               inputs_eur, sroi_ratio, coverage, break_even_proxy_factor
        FROM mart_impact_org_year ORDER BY org_id, year""")
    bars = years.unpivot(["present_value_eur", "inputs_eur"], index=["org_id", "year_label"],
                         variable_name="measure", value_name="eur").with_columns(
        pl.col("measure").replace({"present_value_eur": "present value", "inputs_eur": "inputs"}))
    chart = alt.Chart(bars).mark_bar().encode(
        x=alt.X("org_id:N", title="organisation"), xOffset=alt.XOffset("measure:N"),
        y=alt.Y("eur:Q", title="EUR"), color=alt.Color("measure:N", title=""),
        tooltip=["org_id", "year_label", "measure", "eur"],
    ).properties(width=WIDTH // 2, height=180).facet(column=alt.Column("year_label:N", title="year"))
    rated = years.filter(pl.col("sroi_ratio").is_not_null())
    above = rated.filter(pl.col("sroi_ratio") >= 1).height
    table = _table(years.with_columns(pl.col("coverage").map_elements(
        lambda c: f"{c:.0%}", return_dtype=pl.String)), (
        ("org_id", "organisation"), ("year_label", "year"), ("initiatives_evaluated", "initiatives"),
        ("sroi_ratio", "SROI ratio"), ("coverage", "coverage of its value"),
        ("break_even_proxy_factor", "break-even proxy factor")))
    return Chart("Impact: present value against inputs",
                 f"The present value of the outcomes reported, against what went into the initiatives evaluated, by "
                 f"organisation and year; {above} of {rated.height} organisation-years with inputs return at "
                 "least their inputs. The ratio speaks only for the share of the value its coverage gives.",
                 chart.to_dict(), table + catalogue_entries(con, years))


def sensitivity_tornado(con: duckdb.DuckDBPyConnection) -> Chart:
    """Each organisation's latest year with a ratio: the ratio with each assumption moved, around the base."""
    moved = frame_of(con, """
        WITH latest AS (
            SELECT org_id, max(year) AS year FROM mart_impact_org_year WHERE sroi_ratio IS NOT NULL GROUP BY org_id
        )
        SELECT s.org_id, s.year, s.org_id || ', ' || strftime(s.year, '%Y') AS panel, s.parameter, s.scenario,
               s.sroi_ratio, b.sroi_ratio AS base_ratio
        FROM mart_impact_sensitivity AS s
        JOIN latest USING (org_id, year)
        JOIN mart_impact_org_year AS b USING (org_id, year)
        ORDER BY s.org_id, s.parameter, s.scenario""")
    spread = (moved.group_by("parameter").agg((pl.col("sroi_ratio").max() - pl.col("sroi_ratio").min()).alias("w"))
              .sort(["w", "parameter"], descending=[True, False]))
    order = spread["parameter"].to_list()
    base = alt.Chart().encode(y=alt.Y("parameter:N", sort=order, title="assumption moved"))
    bars = base.mark_bar().encode(
        x=alt.X("sroi_ratio:Q", title="SROI ratio"), x2="base_ratio:Q",
        color=alt.Color("scenario:N", title="assumption", scale=alt.Scale(domain=["low", "high"])),
        tooltip=["panel", "parameter", "scenario", "sroi_ratio", "base_ratio"])
    rule = alt.Chart().mark_rule(color="black").encode(x="base_ratio:Q")
    chart = alt.layer(bars, rule, data=moved).properties(width=WIDTH // 2, height=150).facet(
        row=alt.Row("panel:N", title="organisation, latest year with inputs")).resolve_scale(x="independent")
    widest = order[0] if order else "none"
    return Chart("Impact: how far each assumption moves the ratio",
                 f"Each bar is an organisation's ratio with one assumption at its low or high value, around the base "
                 f"(black); the assumptions are sorted by how far they move it, the furthest first ({widest}).",
                 chart.to_dict(), catalogue_entries(con, moved.select("org_id", "year").unique()))


def impact_charts(con: duckdb.DuckDBPyConnection, tables: set[str]) -> list[Chart]:
    if not IMPACT_TABLES <= tables:
        return []
    has_rows = con.execute("SELECT count(*) FROM mart_impact_org_year").fetchall()[0][0] > 0
    return [value_against_inputs(con), sensitivity_tornado(con)] if has_rows else []
