"""The social report sheet (bilancio sociale, DM 4 luglio 2019): one
printable HTML page per organisation and year and one consolidated for the
consortium, from mart_social_report, organised by the guidelines' sections,
each figure with its definition (the mart's dbt docs) on hover and in a
footnote, counts of people below k suppressed as in the extracts, and a
print stylesheet for A4."""

from __future__ import annotations

import html
from decimal import Decimal
from pathlib import Path

import duckdb

from orchestration.core.marts import mart
from orchestration.core.partners import DEFAULT_K

MART = "mart_social_report"
CONSORTIUM = "consortium"  # the scope of the consolidated row
# (Italian title of the guidelines' section, English subtitle, its figures: column -> label)
SECTIONS = (
    ("Persone che operano per l'ente", "People who work for the organisation", {
        "members_total": "active members at year end", "members_member": "of whom members (soci)",
        "members_worker": "of whom workers (lavoratori)", "members_volunteer": "of whom volunteers (volontari)",
        "members_beneficiary": "of whom beneficiaries", "members_joined": "joined in the year",
        "members_left": "left in the year", "volunteer_hours": "volunteer hours",
        "volunteer_value_eur": "value of volunteer hours, EUR"}),
    ("Obiettivi e attività", "Objectives and activities", {
        "initiatives_active": "initiatives active", "initiatives_launched": "initiatives launched",
        "initiatives_closed": "initiatives closed", "beneficiary_outcomes": "outcomes for beneficiaries (units)",
        "feedback_score_avg": "stakeholders' feedback, mean score 1-5",
        "total_value_eur": "value created, EUR", "coproduced_value_eur": "of which co-produced with others, EUR"}),
    ("Situazione economico-finanziaria", "Economic and financial situation", {
        "resources_public_eur": "public resources, EUR", "resources_private_eur": "private resources, EUR",
        "resources_members_eur": "members' fees, EUR", "resources_earned_eur": "earned income, EUR",
        "resources_partners_eur": "from partner organisations, EUR"}),
    ("Altre informazioni", "Other information: governance and network", {
        "coalitions_active": "coalitions at year end", "tables_held": "institutional tables at year end",
        "spillovers_originated": "initiatives spread to other organisations"}),
)
STYLE = """body{font-family:system-ui,sans-serif;max-width:46em;margin:2em auto;color:#222;line-height:1.35}
h1{font-size:1.6em;margin-bottom:.1em}.subtitle,.en{color:#666;font-weight:normal}
h2{margin:1.6em 0 .2em;border-bottom:2px solid #444}h2 .en{display:block;font-size:.6em}
table{border-collapse:collapse;width:100%}td{padding:.3em .6em;border-bottom:1px solid #ddd}
td.figure{text-align:right;font-variant-numeric:tabular-nums;width:10em}sup{color:#777}
.notes{font-size:.8em;color:#444}.notes li{margin:.2em 0}.suppressed{color:#777;font-style:italic}
@page{size:A4;margin:18mm 16mm}
@media print{body{max-width:none;margin:0;font-size:10.5pt}section{break-inside:avoid}
section+section{break-before:page}.notes{break-before:page}a{color:inherit;text-decoration:none}}"""


def _figure(column: str, value: object, k: int) -> str:
    if column in mart(MART).people_counts and (value is None or value < k):  # NULL: suppressed in an extract
        return f"<span class='suppressed'>fewer than {k}</span>"
    if value is None:
        return "<span class='suppressed'>n/a</span>"
    if isinstance(value, Decimal | float):
        return f"{value:,.2f}"
    return f"{value:,}"


def sheet(row: dict, year: int, k: int, title: str) -> str:
    """The page of one scope's row."""
    definitions = {name: c.description for name, c in mart(MART).columns.items()}
    sections, notes = [], []
    for italian, english, figures in SECTIONS:
        cells = []
        for column, label in figures.items():
            notes.append(f"<li id='n{len(notes) + 1}'><code>{column}</code>: {html.escape(definitions[column])}</li>")
            cells.append(f"<tr title='{html.escape(definitions[column], quote=True)}'><td>{html.escape(label)}"
                         f"<sup><a href='#n{len(notes)}'>{len(notes)}</a></sup></td>"
                         f"<td class='figure'>{_figure(column, row[column], k)}</td></tr>")
        sections.append(f"<section><h2>{html.escape(italian)}<span class='en' lang='en'>{html.escape(english)}"
                        f"</span></h2><table><tbody>{''.join(cells)}</tbody></table></section>")
    return f"""<!doctype html>
<html lang="it"><head><meta charset="utf-8"><title>Bilancio sociale {year}: {html.escape(title)}</title>
<style>{STYLE}</style></head><body>
<h1>Bilancio sociale {year}</h1><p class="subtitle">{html.escape(title)}. Social report under the guidelines of
DM 4 luglio 2019, figures of the calendar year {year} (UTC) from the consortium's event store. Counts of people
below {k} are not shown.</p>
{''.join(sections)}
<section class="notes"><h2>Definizioni<span class="en" lang="en">Definitions</span></h2><ol>{''.join(notes)}</ol>
</section></body></html>
"""


def title_of(scope: str, names: dict[str, str] | None = None) -> str:
    """What a sheet is of: an organisation by its registry name (its org_id without one), or the consortium."""
    if scope == CONSORTIUM:
        return "Consortium, consolidated: each person counted once across its organisations"
    return (names or {}).get(scope, scope)


def write_sheets(con: duckdb.DuckDBPyConnection, year: int, out: Path, k: int, org_id: str | None = None,
                 names: dict[str, str] | None = None) -> list[Path]:
    """One page per scope of `year` in the connection's mart_social_report (or only `org_id`'s):
    out/<scope>.html."""
    rows = con.execute(f"SELECT * FROM {MART} WHERE year(year) = $year AND ($org IS NULL OR scope = $org) "
                       "ORDER BY scope = $consortium, scope", {"year": year, "org": org_id, "consortium": CONSORTIUM})
    columns = [d[0] for d in rows.description]
    written = []
    out.mkdir(parents=True, exist_ok=True)
    for values in rows.fetchall():
        row = dict(zip(columns, values, strict=True))
        path = out / f"{row['scope']}.html"
        path.write_text(sheet(row, year, k, title_of(row["scope"], names)), encoding="utf-8")
        written.append(path)
    return written


def latest_complete_year(con: duckdb.DuckDBPyConnection, as_of: str) -> int | None:
    """The latest year of mart_social_report that ended before the as-of."""
    return con.execute(f"SELECT max(year(year)) FROM {MART} WHERE year(year) < year(CAST($as_of AS TIMESTAMPTZ))",
                       {"as_of": as_of}).fetchall()[0][0]


def sheets_k(partners: dict) -> int:
    """The consortium's own sheets withhold counts of people as its most careful partner does."""
    return max((p.k for p in partners.values()), default=DEFAULT_K)


SHEET = "social_report.html"


def partner_sheet(folder: Path, scope: str, k: int, as_of: str) -> Path | None:
    """A partner's own sheet (its organisation's, or the consortium's for a partner from outside) of the
    latest complete year, from the mart's Parquet file in its extract folder and nothing else."""
    file = folder / MART / f"{MART}.parquet"
    if not file.is_file():
        return None
    con = duckdb.connect()
    try:
        con.read_parquet(str(file)).create_view(MART)
        year = latest_complete_year(con, as_of)
        row = None if year is None else con.execute(
            f"SELECT * FROM {MART} WHERE year(year) = $year AND scope = $scope", {"year": year, "scope": scope})
        values = None if row is None else row.fetchone()
        if values is None:
            return None
        columns = [d[0] for d in row.description]
        page = sheet(dict(zip(columns, values, strict=True)), year, k, title_of(scope))
        (folder / SHEET).write_text(page, encoding="utf-8")
        return folder / SHEET
    finally:
        con.close()
