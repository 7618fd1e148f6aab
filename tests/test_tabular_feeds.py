"""Tabular feeds: rows of real workbooks (xlsxwriter, odfpy) and CSV files
mapped to events by the registry alone, with hand-written expected events."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
import time

from orchestration.demo.spreadsheets import write_workbook
from orchestration.ingest.ingest_run import IngestRun
from tests.ingest_helpers import Harness

D = dt.date
HOURS_MAPPING = {
    "sheet": "Ore", "event_type": "contribution.logged", "schema_version": 2,
    "event_id": {"from": ["Data", "Volontario", "Progetto"]},
    "occurred_at": {"column": "Data", "format": "%d/%m/%Y"},
    "payload": {"initiative": {"org_id": {"value": "sole"}, "initiative_id": {"column": "Progetto"}},
                "person_ref": {"column": "Volontario"}, "kind": {"value": "time"},
                "amount": {"column": "Ore", "type": "decimal", "decimal": ",", "thousands": "."},
                "unit": {"value": "hour"}},
}
MONEY_MAPPING = {
    "sheet": "Risorse", "schema_version": 1,
    "event_type": {"column": "Tipo", "labels": {"contributo": "resource.committed"}},
    "event_id": {"column": "ID"},
    "occurred_at": {"column": "Quando"},
    "payload": {"initiative_id": {"column": "Progetto"}, "source_type": {"column": "Fonte"},
                "amount_eur": {"column": "Importo", "type": "decimal", "decimal": ",", "thousands": "."}},
}


def feed(fmt: str = "xlsx", sheets: list | None = None, **extra) -> dict:
    return {"feed_id": "sole-activity", "org_id": "sole", "name": "Sole", "sector": "social_care",
            "locality": "Trento", "format": fmt, "landing": f"sole/*.{fmt}", "timezone": "Europe/Rome",
            "demo": True, "complete": True, "sheets": sheets or [HOURS_MAPPING, MONEY_MAPPING], **extra}


HOURS = [["Data", "Volontario", "Progetto", "Ore"],
         [D(2025, 3, 3), "anna@example.org", "ORTO", 2.5],          # typed date and number
         ["10/03/2025", "bruno@example.org", "ORTO", "1.234,5"],    # text date, Italian amount
         [None, None, None, None],                                  # an empty row is not a record
         [D(2025, 3, 17), "carla@example.org", "ORTO", "due"],      # not a number
         [D(2025, 3, 24), "dario@example.org", "ORTO", "x@leak.org"]]  # an address where a number goes
MONEY = [["ID", "Tipo", "Quando", "Progetto", "Fonte", "Importo"],
         ["R1", "Contributo", dt.datetime(2025, 3, 30, 1, 30), "ORTO", "public_grant", "12.500"],
         ["R2", "contributo", "2025-03-30 02:30", "ORTO", "public_grant", 100],   # skipped by the DST change
         ["R3", "regalo", "2025-04-01 10:00", "ORTO", "private_donation", 5]]     # no such label


def _settled(harness: Harness) -> None:
    past = time.time() - 3600
    for path in (harness.root / "sole").iterdir():
        os.utime(path, (past, past))


def _events(harness: Harness) -> list[tuple]:
    return harness.query("SELECT event_id, event_type, occurred_at, payload::VARCHAR, source_sheet, source_line "
                         "FROM raw.events ORDER BY event_seq")


def test_a_workbook_of_two_sheets_becomes_events_and_named_quarantine_rows(tmp_path):
    harness = Harness(tmp_path, [feed()])
    (tmp_path / "sole").mkdir()
    write_workbook(tmp_path / "sole" / "attivita.xlsx", {"Ore": HOURS, "Risorse": MONEY})
    (outcome,) = harness.ingest()
    assert (outcome.status, outcome.records_read, outcome.stored, outcome.quarantined) == ("ingested", 7, 3, 4)
    events = _events(harness)
    # local midnight in Rome (UTC+1 in March) is 23:00 UTC the day before
    assert [(e[1], e[2], e[4], e[5]) for e in events] == [
        ("contribution.logged", dt.datetime(2025, 3, 2, 23, 0), "Ore", 2),
        ("contribution.logged", dt.datetime(2025, 3, 9, 23, 0), "Ore", 3),
        ("resource.committed", dt.datetime(2025, 3, 30, 0, 30), "Risorse", 2),
    ]
    first, second, money = (json.loads(e[3]) for e in events)
    assert first["amount"] == 2.5 and second["amount"] == 1234.5 and money["amount_eur"] == 12500
    assert first["initiative"] == {"org_id": "sole", "initiative_id": "ORTO"}
    assert len(first["person_ref"]) == 64 and "@" not in first["person_ref"]
    assert events[0][0].startswith("Ore:") and events[2][0] == "R1"
    quarantined = harness.query("SELECT source_sheet, source_line, reason, message FROM raw.quarantine "
                                "ORDER BY source_sheet, source_line")
    assert quarantined[:1] == [
        ("Ore", 5, "invalid_payload",
         "attivita.xlsx, sheet Ore, row 5, column Ore: 'due' is not a number (decimal ',', thousands '.')"),
    ]
    # the address in the cell is named by its pseudonym (64 hex characters), never written
    assert quarantined[1][:3] == ("Ore", 6, "invalid_payload")
    assert re.fullmatch(r"attivita\.xlsx, sheet Ore, row 6, column Ore: '[0-9a-f]{64}' is not a number "
                        r"\(decimal ',', thousands '\.'\)", quarantined[1][3])
    assert quarantined[2:] == [
        ("Risorse", 3, "bad_timestamp", "attivita.xlsx, sheet Risorse, row 3, column Quando: '2025-03-30 02:30' "
                                        "does not exist in Europe/Rome (a daylight-saving change skips it)"),
        ("Risorse", 4, "unknown_event_type",
         "attivita.xlsx, sheet Risorse, row 4, column Tipo: 'regalo' is none of the labels contributo"),
    ]
    assert "x@leak.org" not in str(harness.query("SELECT original FROM raw.quarantine"))


def test_a_resaved_workbook_is_read_again_and_only_new_rows_count(tmp_path):
    harness = Harness(tmp_path, [feed(sheets=[HOURS_MAPPING])])
    (tmp_path / "sole").mkdir()
    path = tmp_path / "sole" / "attivita.xlsx"
    rows = HOURS[:3]
    write_workbook(path, {"Ore": rows})
    harness.ingest()
    edited = copy.deepcopy(rows) + [[D(2025, 4, 7), "elena@example.org", "ORTO", 3]]
    edited[2][3] = "2"  # bruno's hours corrected
    write_workbook(path, {"Ore": edited})
    (again,) = harness.ingest()
    assert (again.records_read, again.stored, again.duplicates, again.quarantined) == (3, 1, 1, 1)
    assert again.message.startswith("read again whole")
    (conflict,) = harness.query("SELECT reason, message FROM raw.quarantine")
    assert conflict[0] == "conflicting_duplicate"
    assert conflict[1].startswith("sheet Ore, row 3: event_id Ore:")
    assert conflict[1].endswith(f"(stored from {path}, sheet Ore, line 3); first difference: payload.amount")
    assert harness.query("SELECT count(*) FROM raw.events") == [(3,)]
    assert harness.query("SELECT records_read, duplicates FROM raw.ingest_ledger ORDER BY finished_at") == [
        (2, 0), (3, 1)]
    assert harness.ingest()[0].status == "skipped"


def test_batches_of_rows_cross_sheets_and_the_file_is_read_once(tmp_path):
    harness = Harness(tmp_path, [feed()])
    (tmp_path / "sole").mkdir()
    hours = [HOURS[0]] + [[D(2025, 1, 1) + dt.timedelta(days=i), f"p{i}", "ORTO", i + 1] for i in range(7)]
    write_workbook(tmp_path / "sole" / "attivita.xlsx", {"Ore": hours, "Risorse": MONEY[:2]})
    con_run = IngestRun("small-batches", IngestRun.utc_now(), row_batch=3)
    from orchestration.core.warehouse import connect
    from orchestration.ingest.feeds import ingest_feed
    con = connect(harness.db)
    try:
        (outcome,) = ingest_feed(con, harness.registry.feeds[0], con_run)
    finally:
        con.close()
    assert (outcome.records_read, outcome.stored) == (8, 8)
    # 3 + 3 + 1 rows of Ore, then 1 of Risorse: four batches, the last one records where the file was left
    assert harness.query("SELECT records_read, byte_offset_to > 0, last_line FROM raw.ingest_ledger "
                         "ORDER BY finished_at") == [(3, False, 4), (3, False, 7), (1, False, 8), (1, True, 2)]
    assert harness.ingest()[0].status == "skipped"


def test_the_same_rows_as_ods_and_as_csv_give_the_same_events(tmp_path):
    rows = [["Data", "Volontario", "Progetto", "Ore"], ["03/03/2025", "anna@example.org", "ORTO", "2,5"],
            ["10/03/2025", "bruno@example.org", "ORTO", "1.234,5"]]
    ods = Harness(tmp_path / "ods", [feed("ods", sheets=[HOURS_MAPPING])])
    (tmp_path / "ods" / "sole").mkdir(parents=True)
    write_workbook(tmp_path / "ods" / "sole" / "ore.ods", {"Ore": rows})
    csv_mapping = {k: v for k, v in HOURS_MAPPING.items() if k != "sheet"}
    csv = Harness(tmp_path / "csv", [feed("csv", sheets=[csv_mapping], csv={"delimiter": ";", "encoding": "latin-1"})])
    csv.write("sole/ore.csv", "\n".join(";".join(r) for r in rows).encode("latin-1"))
    ods.ingest()
    csv.ingest()
    hashes = "SELECT occurred_at, payload::VARCHAR, content_hash FROM raw.events ORDER BY source_line"
    assert ods.query(hashes) == csv.query(hashes) and len(ods.query(hashes)) == 2


def test_a_file_that_cannot_be_read_as_mapped_is_quarantined_whole(tmp_path):
    harness = Harness(tmp_path, [feed()])
    (tmp_path / "sole").mkdir()
    write_workbook(tmp_path / "sole" / "a-no-sheet.xlsx", {"Ore": HOURS})
    write_workbook(tmp_path / "sole" / "b-no-column.xlsx", {"Ore": [["Data", "Volontario", "Ore"]], "Risorse": MONEY})
    harness.write("sole/c-not-a-workbook.xlsx", "Data;Ore\n1;2\n")
    outcomes = harness.ingest()
    assert [(o.status, o.stored) for o in outcomes] == [("file_quarantined", 0)] * 3
    assert harness.query("SELECT reason, message FROM raw.quarantine ORDER BY source_file")[:2] == [
        ("unknown_sheet", "a-no-sheet.xlsx has no sheet 'Risorse' (its sheets: Ore)"),
        ("missing_column", "sheet 'Ore' of b-no-column.xlsx lacks the mapped column(s) Progetto in its header "
                           "(it has: Data, Volontario, Ore)"),
    ]
    (not_a_workbook,) = harness.query("SELECT reason, message FROM raw.quarantine WHERE source_file LIKE '%c-not%'")
    assert not_a_workbook[0] == "unreadable_file"
    assert not_a_workbook[1].startswith("not a workbook calamine can read")
    assert harness.query("SELECT count(*) FROM raw.events") == [(0,)]


def test_a_workbook_still_being_written_waits_to_settle(tmp_path):
    harness = Harness(tmp_path, [feed(complete=False, settle_after="1h")])
    (tmp_path / "sole").mkdir()
    write_workbook(tmp_path / "sole" / "attivita.xlsx", {"Ore": HOURS[:2], "Risorse": MONEY[:2]})
    (waiting,) = harness.ingest()
    assert waiting.status == "skipped" and "unchanged" in waiting.message
    _settled(harness)
    assert harness.ingest()[0].stored == 2
