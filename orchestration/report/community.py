"""The report's panels on the community manager's five functions and on the
health of initiatives and of the consortium (mart_community_functions,
mart_initiative_health, mart_consortium_health)."""

from __future__ import annotations

import altair as alt
import duckdb
import polars as pl

from orchestration.report.charts import WIDTH, Chart, frame_of

# column of mart_community_functions -> the function it shows, as the panel names it
FUNCTIONS = {"liminal_share": "liminal figure (spanners' share)",
             "coalitions_active": "activist (coalitions)",
             "tables_held": "policy maker (tables held)",
             "angel_eur": "business angel (EUR to others)",
             "coproduction_ratio": "product manager (co-production)"}
LARGEST = 8  # initiatives in the health panel
MAX_QUARTERS = 40  # ten years drawn at most: a panel over a longer history would crowd its lines
MAX_ROWS = 5000  # the rows a chart's data may hold (altair's bound on data drawn without a server)
COMMUNITY_TABLES = {"mart_community_functions", "mart_initiative_health", "mart_consortium_health", "mart_shared_value"}


def functions_panel(con: duckdb.DuckDBPyConnection) -> Chart:
    """A small multiple per organisation and function, over quarters."""
    quarters = frame_of(con, f"""
        SELECT org_id, quarter, {', '.join(f'CAST({c} AS DOUBLE) AS {c}' for c in FUNCTIONS)}
        FROM mart_community_functions ORDER BY org_id, quarter""")
    organisations = max(1, quarters["org_id"].n_unique())
    drawn, cut = _latest_quarters(quarters, min(MAX_QUARTERS, MAX_ROWS // (organisations * len(FUNCTIONS))))
    long = drawn.unpivot(list(FUNCTIONS), index=["org_id", "quarter"], variable_name="column",
                            value_name="value").with_columns(pl.col("column").replace(FUNCTIONS).alias("function"))
    chart = alt.Chart(long).mark_line(point=True).encode(
        x=alt.X("quarter:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y("value:Q", title=None), tooltip=["org_id", "quarter", "function", "value"],
    ).properties(width=(WIDTH - 60) // len(FUNCTIONS), height=60).facet(
        row=alt.Row("org_id:N", title="organisation", header=alt.Header(labelAngle=0, labelAlign="left")),
        column=alt.Column("function:N", title=None, sort=list(FUNCTIONS.values()),
                          header=alt.Header(labelLimit=130, labelFontSize=10)),
    ).resolve_scale(y="independent")
    latest = quarters.filter(pl.col("quarter") == quarters["quarter"].max())
    angel = latest.sort("angel_eur", descending=True, nulls_last=True).head(1)
    at_tables = latest.filter(pl.col("tables_held") > 0).height
    reading = (f"In the latest quarter {at_tables} of {latest.height} organisations sit at an institutional table"
               + (f", and {angel['org_id'][0]} put the most into others' initiatives"
                  f" ({angel['angel_eur'][0]:,.2f} EUR)" if angel.height and angel["angel_eur"][0] else "") + "."
               + cut)
    return Chart("The community manager's five functions, by organisation", reading, chart.to_dict())


def _latest_quarters(frame: pl.DataFrame, most: int) -> tuple[pl.DataFrame, str]:
    """The frame's rows of its latest `most` quarters, and what the reading says when some are left out."""
    quarters = frame["quarter"].unique().sort()
    if quarters.len() <= most:
        return frame, ""
    most = max(1, most)
    first = quarters[quarters.len() - most]
    return frame.filter(pl.col("quarter") >= first), f" The latest {most} of {quarters.len()} quarters are drawn."


def health_panel(con: duckdb.DuckDBPyConnection) -> Chart:
    """The elephant and absence factors of the largest initiatives in their latest quarter, and people
    new, retained and inactive per quarter."""
    factors = frame_of(con, f"""
        WITH largest AS (
            SELECT org_id, initiative_id, sum(total_value_eur) AS value FROM mart_shared_value
            GROUP BY ALL ORDER BY value DESC, org_id, initiative_id LIMIT {LARGEST}
        ), latest AS (
            SELECT h.* FROM mart_initiative_health AS h SEMI JOIN largest USING (org_id, initiative_id)
            QUALIFY quarter = max(quarter) OVER (PARTITION BY org_id, initiative_id)
        )
        SELECT org_id || '/' || initiative_id AS initiative, CAST(elephant_factor AS DOUBLE) AS elephant_factor,
               CAST(absence_factor AS DOUBLE) AS absence_factor
        FROM latest ORDER BY initiative""")
    bars = factors.unpivot(["elephant_factor", "absence_factor"], index="initiative", variable_name="factor",
                           value_name="value").with_columns(pl.col("factor").replace(
        {"elephant_factor": "organisations carrying half", "absence_factor": "people carrying half"}))
    factor_chart = alt.Chart(bars).mark_bar().encode(
        y=alt.Y("initiative:N", title="largest initiatives, latest quarter"), yOffset="factor:N",
        x=alt.X("value:Q", title="how many carry half of the value", axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("factor:N", title=""), tooltip=["initiative", "factor", "value"]).properties(width=WIDTH - 160)
    people = frame_of(con, """
        SELECT quarter, CAST(new_people AS DOUBLE) AS new_people,
               CAST(retained_share * lag(people_contributing) OVER (ORDER BY quarter) AS DOUBLE) AS retained_people,
               CAST(inactive_people AS DOUBLE) AS inactive_people
        FROM mart_consortium_health ORDER BY quarter""").filter(
        pl.col("quarter") >= pl.col("quarter").filter(pl.col("new_people") > 0).min())
    people, cut = _latest_quarters(people, MAX_QUARTERS)
    lines = people.unpivot(["new_people", "retained_people", "inactive_people"], index="quarter",
                           variable_name="measure", value_name="people").with_columns(pl.col("measure").replace(
        {"new_people": "new", "retained_people": "came back", "inactive_people": "inactive"}))
    people_chart = alt.Chart(lines).mark_line(point=True).encode(
        x=alt.X("quarter:T", title="quarter"), y=alt.Y("people:Q", title="people"),
        color=alt.Color("measure:N", title=""), tooltip=["quarter", "measure", "people"]).properties(
        width=WIDTH - 160, height=180)
    single = factors.filter(pl.col("elephant_factor") == 1).height
    reading = (f"{single} of the {factors.height} largest initiatives have one organisation carrying half of their "
               "value; below, the people who came, came back and stopped contributing, quarter by quarter "
               "(counts of people below the small-cell threshold are missing from a partner's copy)." + cut)
    return Chart("The health of initiatives and of the consortium", reading,
                 alt.vconcat(factor_chart, people_chart).resolve_scale(color="independent").to_dict())


def community_charts(con: duckdb.DuckDBPyConnection, tables: set[str]) -> list[Chart]:
    out = []
    if "mart_community_functions" in tables:
        out.append(functions_panel(con))
    if COMMUNITY_TABLES - {"mart_community_functions"} <= tables:
        out.append(health_panel(con))
    return out
