"""Render a report: one static HTML file that reads offline with no server.

Charts are altair specifications rendered to SVG by vl-convert (Vega's own
renderer, no browser, no network) and inlined; the headline table gives one
figure per mart, computed here from the same tables the charts read. The
consortium's report reads the marts; a partner's reads its extract's own
Parquet files, so it holds exactly what the extract holds."""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb

from orchestration.core.warehouse import sql_identifier
from orchestration.report import charts
from orchestration.report.community import community_charts
from orchestration.report.impact import impact_charts

REPORT = "report.html"
# mart -> (headline, SQL over that mart): one figure each, shown and tested against the marts
HEADLINES: dict[str, tuple[str, str]] = {
    "mart_consortium_monthly": ("value created, EUR", "SELECT round(sum(total_value_eur), 2) FROM {t}"),
    "mart_shared_value": ("co-produced value, EUR", "SELECT round(sum(coproduced_value_eur), 2) FROM {t}"),
    "mart_resource_mix": ("resources committed, EUR", "SELECT round(sum(total_eur), 2) FROM {t}"),
    "mart_spillovers": ("initiatives that spawned others", "SELECT count(*) FILTER (WHERE direct_spillovers > 0) "
                                                           "FROM {t}"),
    "mart_org_spillovers": ("spillovers across organisations", "SELECT sum(spillovers_originated) FROM {t}"),
    "mart_coalitions": ("coalitions active at the as-of", "SELECT count(*) FILTER (WHERE dissolved_at IS NULL) "
                                                          "FROM {t}"),
    "mart_boundary_spanners": ("boundary spanners, latest quarter", "SELECT sum(boundary_spanners) FROM {t} "
                                                                    "WHERE quarter = (SELECT max(quarter) FROM {t})"),
    "mart_impact_org_year": ("present value of the outcomes reported, EUR",
                             "SELECT round(sum(present_value_eur), 2) FROM {t}"),
}


def headline_figures(con: duckdb.DuckDBPyConnection, tables: set[str]) -> list[tuple[str, str, object]]:
    """(mart, headline, value) for every mart present."""
    return [(mart, label, con.execute(sql.format(t=sql_identifier(mart))).fetchall()[0][0])
            for mart, (label, sql) in HEADLINES.items() if mart in tables]


def whose(mart: str, own_org: str | None, own_marts: frozenset[str]) -> str:
    """Whose figure a headline is: an organisation's own for the marts its extract holds only its rows of."""
    return f"{own_org} (your organisation)" if own_org and mart in own_marts else "the consortium"


def last_quarter_with_events(con: duckdb.DuckDBPyConnection, tables: set[str]) -> date | None:
    """The quarter of the last month holding a stored event (mart_consortium_monthly's last row), if known."""
    if "mart_consortium_monthly" not in tables:
        return None
    return con.execute("SELECT CAST(date_trunc('quarter', max(month)) AS DATE) FROM mart_consortium_monthly"
                       ).fetchall()[0][0]


def report_charts(con: duckdb.DuckDBPyConnection, tables: set[str], as_of: str) -> list[charts.Chart]:
    wanted: list[tuple[set[str], Callable[[], charts.Chart]]] = [
        ({"mart_shared_value"}, lambda: charts.shared_value(con)),
        ({"dim_initiatives"}, lambda: charts.spillover_graph(con)),
        ({"mart_resource_mix"}, lambda: charts.resource_mix(con)),
        ({"mart_coalitions"}, lambda: charts.coalitions(con, as_of)),
        ({"mart_boundary_spanners"}, lambda: charts.boundary_spanners(con, last_quarter_with_events(con, tables))),
        ({"mart_consortium_monthly"}, lambda: charts.feedback(con)),
    ]
    return ([make() for needs, make in wanted if needs <= tables] + community_charts(con, tables)
            + impact_charts(con, tables))


class ChartCache:
    """The SVG of each chart specification rendered before, by its digest:
    vl-convert takes 0.1-0.2 s a chart, and in a run that rebuilt a few marts
    most charts draw the same data as the last time. Only what the latest
    report used is kept (a folder of our own: no caching library is in the
    lock, and the entries are a handful of files)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[Path] = set()

    def svg(self, spec: dict) -> str:
        import vl_convert

        digest = hashlib.sha256(json.dumps([vl_convert.__version__, spec], sort_keys=True, default=str).encode())
        file = self.folder / f"{digest.hexdigest()}.svg"
        self.used.add(file)
        if file.is_file():
            return file.read_text(encoding="utf-8")
        svg = vl_convert.vegalite_to_svg(spec)
        self.folder.mkdir(parents=True, exist_ok=True)
        file.write_text(svg, encoding="utf-8")
        return svg

    def prune(self) -> None:
        for file in self.folder.glob("*.svg"):
            if file not in self.used:
                file.unlink()


def render(con: duckdb.DuckDBPyConnection, tables: set[str], title: str, as_of: str, path: Path,
           cache: ChartCache | None = None, own_org: str | None = None,
           own_marts: frozenset[str] = frozenset()) -> Path:
    """Write the report of the tables the connection names (as views or tables of the search path)."""
    import vl_convert

    figures = headline_figures(con, tables)
    sections = []
    for chart in report_charts(con, tables, as_of):
        svg = cache.svg(chart.spec) if cache else vl_convert.vegalite_to_svg(chart.spec)
        sections.append(f"<section><h2>{html.escape(chart.title)}</h2><p class='reading'>"
                        f"{html.escape(chart.reading)} As of {html.escape(as_of)}.</p>{svg}{chart.notes}</section>")
    rows = "".join(f"<tr><td>{html.escape(label)}</td><td class='figure'>{html.escape(_shown(value))}</td>"
                   f"<td class='whose'>{html.escape(whose(mart, own_org, own_marts))}</td>"
                   f"<td><code>{mart}</code></td></tr>"
                   for mart, label, value in figures)
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;color:#222}}
table{{border-collapse:collapse}}td{{padding:.25em .8em;border-bottom:1px solid #ddd}}
.figure{{text-align:right;font-variant-numeric:tabular-nums}}.entries{{font-size:.85em;margin-top:.8em}}
.entries th{{text-align:left;padding:.25em .8em;border-bottom:2px solid #999}}.reading{{color:#555}}
section{{margin:2.5em 0}}</style>
</head><body><h1>{html.escape(title)}</h1>
<p>As known at {html.escape(as_of)}: the events ingested by then, retractions applied. Counts of people below the
small-cell threshold are suppressed where the data is a partner's extract.</p>
<h2>Headline figures</h2><table><thead><tr><th>figure</th><th>value</th><th>of</th><th>mart</th></tr></thead>
<tbody>{rows}</tbody></table>
{''.join(sections)}
</body></html>
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    if cache:
        cache.prune()
    return path


def _shown(value: object) -> str:
    if value is None:
        return "suppressed or none"
    if isinstance(value, float | Decimal):
        return f"{value:,.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def consortium_report(con: duckdb.DuckDBPyConnection, path: Path, chart_cache: Path | None = None) -> Path:
    """From the warehouse's marts; charts drawn before are taken from `chart_cache` when given."""
    con.execute("SET search_path = 'marts'")
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                        "WHERE table_schema = 'marts'").fetchall()}
    as_of = con.execute("SELECT strftime(as_of, '%Y-%m-%dT%H:%M:%SZ') FROM mart_build_info").fetchall()[0][0]
    return render(con, tables, "Consortium report", as_of, path, ChartCache(chart_cache) if chart_cache else None)


def partner_report(folder: Path, partner: str, as_of: str, own_org: str | None = None,
                   own_marts: frozenset[str] = frozenset()) -> Path:
    """From the Parquet files of a partner's extract, and nothing else; an organisation's report says which
    figures are its own (`own_marts`: those the extract holds only its rows of) and which the consortium's."""
    con = duckdb.connect()
    try:
        tables = set()
        for file in sorted(folder.glob("*/*.parquet")):
            name = sql_identifier(file.parent.name)
            con.read_parquet(str(file)).create_view(name)  # a view by the mart's name, no SQL of a path
            tables.add(name)
        return render(con, tables, f"Report for {partner}", as_of, folder / REPORT, own_org=own_org,
                      own_marts=own_marts)
    finally:
        con.close()
