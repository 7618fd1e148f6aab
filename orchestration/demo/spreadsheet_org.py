"""The demo organisation that keeps only spreadsheets, as a social
cooperative does: an activity workbook (hours given, resources received;
Italian dates and amounts, some cells typed, some text), its members
register (libro soci) exported whole as ODS twice, and its list of
projects as a workbook. Written by real writers (spreadsheets.py), mapped by
the registry alone (REGISTRY_FEEDS)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from orchestration.demo.spreadsheets import write_ods, write_xlsx

ORG = {"org_id": "coop-sole", "name": "Cooperativa Sole", "sector": "social_care", "locality": "Trento"}
FOLDER = "landing/coop-sole"
D = dt.date

PROJECTS = [
    ["Codice", "Titolo", "Settore", "Comune", "Avvio", "Chiusura", "Esito"],
    ["ORTO", "Orto sociale", "social_care", "Trento", D(2024, 3, 1), None, None],
    ["MENSA", "Mensa solidale", "food", "Trento", "02/09/2024", None, None],
    ["LAB", "Laboratorio riuso", "circular_economy", "Rovereto", D(2024, 10, 1), D(2025, 5, 31), "completata"],
]
MEMBERS_HEADER = ["Email", "Qualifica", "Ammissione", "Recesso"]
MEMBERS_MARCH = [
    MEMBERS_HEADER,
    ["anna.rossi@example.org", "socio lavoratore", D(2021, 2, 1), None],
    ["bruno.verdi@example.org", "socio volontario", D(2022, 3, 15), None],
    ["carla.neri@example.org", "socio volontario", D(2023, 9, 1), None],
    ["dario.gialli@example.org", "socio fruitore", D(2024, 1, 10), None],
    ["elena.blu@example.org", "socio", "15/01/2025", None],
]
MEMBERS_JUNE = [  # bruno leaves, carla becomes a worker, dario is no longer listed, fabio joins
    MEMBERS_HEADER,
    ["anna.rossi@example.org", "socio lavoratore", D(2021, 2, 1), None],
    ["bruno.verdi@example.org", "socio volontario", D(2022, 3, 15), D(2025, 5, 31)],
    ["carla.neri@example.org", "socio lavoratore", D(2023, 9, 1), None],
    ["elena.blu@example.org", "socio", "15/01/2025", None],
    ["fabio.viola@example.org", "socio volontario", D(2025, 4, 2), None],
]
HOURS = [
    ["Data", "Volontario", "Progetto", "Ore"],
    [D(2025, 3, 3), "bruno.verdi@example.org", "ORTO", 2.5],
    [D(2025, 3, 10), "carla.neri@example.org", "ORTO", "3,5"],
    ["17/03/2025", "bruno.verdi@example.org", "MENSA", 4],
    [D(2025, 4, 7), "fabio.viola@example.org", "MENSA", "1,5"],
    [None, None, None, None],
    [D(2025, 4, 14), "carla.neri@example.org", "LAB", 6],
    [D(2025, 5, 5), "fabio.viola@example.org", "ORTO", "due"],  # not a number: quarantined, naming the cell
    [D(2025, 5, 12), "anna.rossi@example.org", "MENSA", 3],
    [D(2025, 6, 2), "elena.blu@example.org", "ORTO", "2,25"],
]
RESOURCES = [
    ["Data", "Tipo", "Progetto", "Importo", "Fonte"],
    [D(2025, 2, 1), "contributo", "ORTO", "1.234,50", "public_grant"],
    [D(2025, 3, 1), "donazione", "MENSA", 500, "private_donation"],
    ["01/04/2025", "quota", "MENSA", "2.000,00", "member_fees"],
    [D(2025, 5, 1), "contributo", "LAB", "12.500", "public_grant"],
]
# what the two members snapshots and the projects register derive: LAB, MENSA and ORTO launched and LAB
# closed; five members joined in March; in June bruno left, carla left and joined again as a worker, dario
# (no longer listed) left and fabio joined
SNAPSHOT_EVENTS = 4 + 5 + 5
_LABELS = {"socio lavoratore": "worker", "socio volontario": "volunteer", "socio fruitore": "beneficiary",
           "socio": "member"}


def _feed(feed_id: str, fmt: str, landing: str, **shape: Any) -> dict[str, Any]:
    return {"feed_id": feed_id, **ORG, "format": fmt, "landing": f"{FOLDER}/{landing}", "timezone": "Europe/Rome",
            "demo": True, "complete": True, "expected_every": "90d", **shape}


REGISTRY_FEEDS = [
    _feed("sole-activity", "xlsx", "attivita-*.xlsx", sheets=[
        {"sheet": "Ore", "event_type": "contribution.logged", "schema_version": 2,
         "event_id": {"from": ["Data", "Volontario", "Progetto"]},
         "occurred_at": {"column": "Data", "format": "%d/%m/%Y"},
         "payload": {"initiative": {"org_id": {"value": "coop-sole"}, "initiative_id": {"column": "Progetto"}},
                     "person_ref": {"column": "Volontario"}, "kind": {"value": "time"},
                     "amount": {"column": "Ore", "type": "decimal", "decimal": ",", "thousands": "."},
                     "unit": {"value": "hour"}}},
        {"sheet": "Risorse", "schema_version": 1,
         "event_type": {"column": "Tipo", "labels": {"contributo": "resource.committed",
                                                      "donazione": "resource.committed",
                                                      "quota": "resource.committed"}},
         "event_id": {"from": ["Data", "Progetto", "Fonte"]},
         "occurred_at": {"column": "Data", "format": "%d/%m/%Y"},
         "payload": {"initiative_id": {"column": "Progetto"}, "source_type": {"column": "Fonte"},
                     "amount_eur": {"column": "Importo", "type": "decimal", "decimal": ",", "thousands": "."}}},
    ]),
    _feed("sole-members", "ods", "soci-*.ods", snapshot={
        "register": "members", "sheet": "Soci",
        "snapshot_at": {"file_name": r"soci-(\d{4}-\d{2}-\d{2})", "format": "%Y-%m-%d"},
        "key": ["Email"], "columns": {"person": "Email", "role": "Qualifica", "joined_on": "Ammissione",
                                      "left_on": "Recesso"},
        "labels": {"role": dict(_LABELS)}, "date_format": "%d/%m/%Y"}),
    _feed("sole-initiatives", "xlsx", "progetti-*.xlsx", snapshot={
        "register": "initiatives", "sheet": "Progetti",
        "snapshot_at": {"file_name": r"progetti-(\d{4}-\d{2}-\d{2})", "format": "%Y-%m-%d"},
        "key": ["Codice"], "columns": {"initiative_id": "Codice", "title": "Titolo", "sector": "Settore",
                                       "locality": "Comune", "launched_on": "Avvio", "closed_on": "Chiusura",
                                       "outcome": "Esito"},
        "labels": {"outcome": {"completata": "completed", "interrotta": "discontinued", "unita": "merged"}},
        "date_format": "%d/%m/%Y"}),
]


def bulk_hours(rows: int) -> list[list[Any]]:
    """`rows` shifts of hours (the header first), typed cells, for a workbook at size: 400 volunteers on
    three projects, 1,200 shifts a day, so no two rows share a date, volunteer and project (the row's id)."""
    projects = ["ORTO", "MENSA", "LAB"]
    start = D(2025, 1, 1)
    return [HOURS[0]] + [[start + dt.timedelta(days=n // 1200), f"volontario{n % 400}@example.org",
                          projects[n // 400 % 3], 0.5 + (n * 7 % 15) / 2] for n in range(rows)]


def write_spreadsheet_org(out: Path, hours: list[list[Any]] | None = None) -> None:
    """The organisation's files under out/landing/coop-sole/ (its hours those given, else the demo's)."""
    folder = out / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    write_xlsx(folder / "progetti-2025-06-30.xlsx", {"Progetti": PROJECTS})
    write_ods(folder / "soci-2025-03-31.ods", {"Soci": MEMBERS_MARCH})
    write_ods(folder / "soci-2025-06-30.ods", {"Soci": MEMBERS_JUNE})
    write_xlsx(folder / "attivita-2025.xlsx", {"Ore": hours or HOURS, "Risorse": RESOURCES})
