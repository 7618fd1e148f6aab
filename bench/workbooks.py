"""Spreadsheets at size: 200,000 rows of hours as an XLSX workbook against the
same rows as a flat CSV file, both mapped by the same sheet mapping (the
rate of the workbook as a share of the CSV's, measured in the same run),
and a members register of 50,000 people in two snapshots (the second with
1% of them changed), diffed into events. Files are cached under bench/out/."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import yaml

from bench.memory import OUT, measure
from orchestration.demo.spreadsheets import write_xlsx

ORG = {"org_id": "sole", "name": "Sole", "sector": "social_care", "locality": "Trento", "timezone": "Europe/Rome",
       "demo": True, "complete": True}
HOURS = {"event_type": "contribution.logged", "schema_version": 2,
         "event_id": {"from": ["Data", "Volontario", "Progetto", "Turno"]},
         "occurred_at": {"column": "Data", "format": "%d/%m/%Y"},
         "payload": {"initiative": {"org_id": {"value": "sole"}, "initiative_id": {"column": "Progetto"}},
                     "person_ref": {"column": "Volontario"}, "kind": {"value": "time"},
                     "amount": {"column": "Ore", "type": "decimal", "decimal": ",", "thousands": "."},
                     "unit": {"value": "hour"}}}


def _hours(rows: int) -> list[list]:
    start = dt.date(2024, 1, 1)
    return [["Data", "Volontario", "Progetto", "Turno", "Ore"]] + [
        [start + dt.timedelta(days=n % 700), f"volontario{n % 20_000}@example.org", f"P{n % 300}", n,
         (n % 16) / 2 + 0.5] for n in range(rows)]


def hours_feeds(rows: int) -> tuple[Path, Path]:
    """Registries of one feed each: the rows as XLSX, and as CSV (typed cells written as an Italian export)."""
    folder = OUT / f"hours-{rows}"
    xlsx, flat = folder / "xlsx.yml", folder / "csv.yml"
    if not xlsx.exists():
        table = _hours(rows)
        (folder / "xlsx").mkdir(parents=True, exist_ok=True)
        (folder / "csv").mkdir(parents=True, exist_ok=True)
        write_xlsx(folder / "xlsx" / "ore.xlsx", {"Ore": table})
        with (folder / "csv" / "ore.csv").open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, delimiter=";")
            writer.writerow(table[0])
            for day, person, project, shift, hours in table[1:]:
                writer.writerow([f"{day:%d/%m/%Y}", person, project, shift, f"{hours}".replace(".", ",")])
        xlsx.write_text(yaml.safe_dump({"feeds": [{**ORG, "format": "xlsx", "landing": "xlsx/*.xlsx",
                                                   "sheets": [{"sheet": "Ore", **HOURS}]}]}))
        flat.write_text(yaml.safe_dump({"feeds": [{**ORG, "format": "csv", "landing": "csv/*.csv",
                                                   "csv": {"delimiter": ";"}, "sheets": [HOURS]}]}))
    return xlsx, flat


def members_register(people: int) -> Path:
    folder = OUT / f"members-{people}"
    registry = folder / "registry.yml"
    if not registry.exists():
        (folder / "soci").mkdir(parents=True, exist_ok=True)
        rng = random.Random(5)
        head = ["Email", "Qualifica", "Ammissione", "Recesso"]
        rows = [[f"socio{n}@example.org", rng.choice(["socio", "socio volontario"]),
                 dt.date(2010, 1, 1) + dt.timedelta(days=n % 5000), None] for n in range(people)]
        write_xlsx(folder / "soci" / "soci-2025-03-31.xlsx", {"Soci": [head, *rows]})
        for row in rng.sample(rows, people // 100):  # 1% leave
            row[3] = dt.date(2025, 5, 31)
        write_xlsx(folder / "soci" / "soci-2025-06-30.xlsx", {"Soci": [head, *rows]})
        registry.write_text(yaml.safe_dump({"feeds": [{**ORG, "format": "xlsx", "landing": "soci/*.xlsx", "snapshot": {
            "register": "members", "sheet": "Soci", "key": ["Email"],
            "snapshot_at": {"file_name": r"soci-(\d{4}-\d{2}-\d{2})"},
            "columns": {"person": "Email", "role": "Qualifica", "joined_on": "Ammissione", "left_on": "Recesso"},
            "labels": {"role": {"socio": "member", "socio volontario": "volunteer"}}}}]}))
    return registry


def workbook_bench(rows: int = 200_000, people: int = 50_000) -> None:
    print(f"\n== spreadsheets: {rows:,} rows as XLSX and as CSV; a register of {people:,} people ==")
    xlsx_registry, csv_registry = hours_feeds(rows)
    as_csv = measure("ingest", csv_registry)
    as_xlsx = measure("ingest", xlsx_registry)
    for name, got in (("csv", as_csv), ("xlsx", as_xlsx)):
        print(f"{name:5} {got['records']:,} rows in {got['seconds']:.1f} s "
              f"({got['records'] / got['seconds']:,.0f} rows/s), peak {got['peak_mb']:,.0f} MB")
    print(f"xlsx rate / csv rate: {as_csv['seconds'] / as_xlsx['seconds']:.2f} (at least 0.5 is the goal)")
    register = measure("ingest", members_register(people))
    print(f"members register: two snapshots of {people:,} people, {register['records']:,} events derived, "
          f"{register['seconds']:.1f} s, peak {register['peak_mb']:,.0f} MB")
