"""Snapshot feeds: a members register (ODS) and a list of projects (XLSX)
exported whole, their differences derived as events, by hand-worked cases."""

from __future__ import annotations

import datetime as dt
import shutil

from orchestration.demo.spreadsheets import write_workbook
from tests.ingest_helpers import Harness

D = dt.date
LABELS = {"socio lavoratore": "worker", "socio volontario": "volunteer", "socio": "member"}
MEMBERS = {
    "feed_id": "sole-members", "org_id": "sole", "name": "Sole", "sector": "social_care", "locality": "Trento",
    "format": "ods", "landing": "soci/*.ods", "timezone": "Europe/Rome", "demo": True, "complete": True,
    "snapshot": {"register": "members", "sheet": "Soci", "key": ["Email"],
                 "snapshot_at": {"file_name": r"soci-(\d{4}-\d{2}-\d{2})", "format": "%Y-%m-%d"},
                 "columns": {"person": "Email", "role": "Qualifica", "joined_on": "Ammissione", "left_on": "Recesso"},
                 "labels": {"role": LABELS}, "date_format": "%d/%m/%Y"},
}
PROJECTS = {
    "feed_id": "sole-projects", "org_id": "sole", "name": "Sole", "sector": "social_care", "locality": "Trento",
    "format": "xlsx", "landing": "progetti/*.xlsx", "timezone": "Europe/Rome", "demo": True, "complete": True,
    "snapshot": {"register": "initiatives", "sheet": "Progetti", "key": ["Codice"],
                 "snapshot_at": {"cell": "B1", "format": "%d/%m/%Y"}, "header_row": 2,
                 "columns": {"initiative_id": "Codice", "title": "Titolo", "sector": "Settore", "locality": "Comune",
                             "launched_on": "Avvio", "closed_on": "Chiusura", "outcome": "Esito"},
                 "labels": {"outcome": {"completata": "completed"}}},
}
H = ["Email", "Qualifica", "Ammissione", "Recesso"]
MARCH = [H, ["anna@example.org", "socio lavoratore", D(2021, 2, 1), None],
         ["bruno@example.org", "socio volontario", D(2022, 3, 15), None],
         ["carla@example.org", "socio volontario", "01/09/2023", None],
         ["dario@example.org", "socio", D(2024, 1, 10), None],
         ["anna@example.org", "socio", D(2021, 2, 1), None],       # the key again
         ["elena@example.org", "socia", D(2024, 5, 1), None]]      # no such label
JUNE = [H, ["anna@example.org", "socio lavoratore", D(2021, 3, 1), None],   # joined_on corrected
        ["bruno@example.org", "socio volontario", D(2022, 3, 15), D(2025, 5, 31)],  # left
        ["carla@example.org", "socio lavoratore", "01/09/2023", None],    # role changed
        ["elena@example.org", "socio", D(2024, 5, 1), None]]              # dario is gone


def _derived(harness: Harness) -> list[tuple]:
    return harness.query("SELECT split_part(event_id, ':', 4) || ':' || split_part(event_id, ':', 5), "
                         "occurred_at, payload ->> 'role', source_line FROM raw.events ORDER BY event_seq")


def test_members_snapshots_derive_the_events_that_explain_them(tmp_path):
    harness = Harness(tmp_path, [MEMBERS])
    (tmp_path / "soci").mkdir()
    write_workbook(tmp_path / "soci" / "soci-2025-03-31.ods", {"Soci": MARCH})
    (march,) = harness.ingest()
    assert (march.records_read, march.stored, march.quarantined) == (6, 4, 2)
    assert harness.query("SELECT source_line, reason, message FROM raw.quarantine ORDER BY source_line") == [
        (6, "repeated_key", "soci-2025-03-31.ods, sheet Soci, row 6: the key (Email) repeats row 2"),
        (7, "invalid_payload", "soci-2025-03-31.ods, sheet Soci, row 7, column Qualifica: 'socia' is none of the "
                               "labels socio, socio lavoratore, socio volontario")]
    write_workbook(tmp_path / "soci" / "soci-2025-06-30.ods", {"Soci": JUNE})
    (_, june) = harness.ingest()
    # anna: her join retracted and made again; bruno left on 31 May; carla left and joined again as a worker
    # at the snapshot time (local midnight of 30 June: 22:00 UTC on the 29th); elena new; dario gone
    assert _derived(harness)[4:] == [
        ("event.retracted:1", dt.datetime(2025, 6, 29, 22, 0), None, 2),
        ("member.joined:2", dt.datetime(2021, 2, 28, 23, 0), "worker", 2),
        ("member.left:1", dt.datetime(2025, 5, 30, 22, 0), None, 3),
        ("member.left:1", dt.datetime(2025, 6, 29, 22, 0), None, 4),
        ("member.joined:2", dt.datetime(2025, 6, 29, 22, 0), "worker", 4),
        ("member.joined:1", dt.datetime(2024, 4, 30, 22, 0), "member", 5),
        ("member.left:1", dt.datetime(2025, 6, 29, 22, 0), None, 1),
    ]
    assert june.stored == 7
    assert harness.query("SELECT kind, source_line FROM raw.snapshot_notes") == [("disappeared", None)]
    # conservation a snapshot file: rows read = unchanged + derived + quarantined
    assert harness.query("SELECT split_part(source_file, '/', -1), outcome, count(*) FROM raw.snapshot_rows "
                         "GROUP BY ALL ORDER BY ALL") == [
        ("soci-2025-03-31.ods", "derived", 4), ("soci-2025-03-31.ods", "quarantined", 2),
        ("soci-2025-06-30.ods", "derived", 4)]
    assert "@" not in str(harness.query("SELECT row_values, key_hash FROM raw.snapshot_rows"))


def test_the_same_snapshot_twice_derives_nothing_and_a_rebuild_derives_the_same(tmp_path):
    harness = Harness(tmp_path, [MEMBERS])
    (tmp_path / "soci").mkdir()
    write_workbook(tmp_path / "soci" / "soci-2025-03-31.ods", {"Soci": MARCH})
    write_workbook(tmp_path / "soci" / "soci-2025-06-30.ods", {"Soci": JUNE})
    harness.ingest()
    shutil.copy(tmp_path / "soci" / "soci-2025-06-30.ods", tmp_path / "soci" / "soci-2025-06-30-copia.ods")
    outcomes = harness.ingest()
    assert {o.source_file.rsplit("/", 1)[1]: (o.status, o.records_read) for o in outcomes} == {
        "soci-2025-03-31.ods": ("skipped", 0), "soci-2025-06-30.ods": ("skipped", 0),
        "soci-2025-06-30-copia.ods": ("ingested", 0)}
    write_workbook(tmp_path / "soci" / "soci-2025-01-31.ods", {"Soci": MARCH})
    (stale,) = [o for o in harness.ingest() if o.status == "file_quarantined"]
    assert stale.message.startswith("stale_snapshot: a snapshot of 2025-01-30 23:00 UTC, older than the latest")
    rebuilt = Harness(tmp_path, [MEMBERS], db=tmp_path / "rebuilt.duckdb")
    (tmp_path / "soci" / "soci-2025-01-31.ods").unlink()
    rebuilt.ingest()
    same = "SELECT event_id, content_hash FROM raw.events ORDER BY event_id"
    assert rebuilt.query(same) == harness.query(same) and len(rebuilt.query(same)) == 11


def test_an_initiatives_register_launches_closes_and_warns_of_ignored_changes(tmp_path):
    harness = Harness(tmp_path, [PROJECTS])
    (tmp_path / "progetti").mkdir()
    head = ["Codice", "Titolo", "Settore", "Comune", "Avvio", "Chiusura", "Esito"]
    write_workbook(tmp_path / "progetti" / "a.xlsx", {"Progetti": [
        ["Aggiornato al", "31/03/2025"], head,
        ["ORTO", "Orto sociale", "social_care", "Trento", D(2024, 3, 1), None, None],
        ["LAB", "Laboratorio", "circular_economy", "Rovereto", D(2024, 10, 1), None, None]]})
    harness.ingest()
    write_workbook(tmp_path / "progetti" / "b.xlsx", {"Progetti": [
        ["Aggiornato al", D(2025, 6, 30)], head,
        ["ORTO", "Orto sociale e didattico", "social_care", "Trento", D(2024, 3, 1), None, None],
        ["LAB", "Laboratorio", "circular_economy", "Rovereto", D(2024, 10, 1), D(2025, 5, 31), "completata"]]})
    harness.ingest()
    assert harness.query("SELECT event_type, payload ->> 'initiative_id', occurred_at, payload ->> 'outcome' "
                         "FROM raw.events ORDER BY event_seq") == [
        ("initiative.launched", "ORTO", dt.datetime(2024, 2, 29, 23, 0), None),
        ("initiative.launched", "LAB", dt.datetime(2024, 9, 30, 22, 0), None),
        ("initiative.closed", "LAB", dt.datetime(2025, 5, 30, 22, 0), "completed")]
    assert harness.query("SELECT kind, source_line, note FROM raw.snapshot_notes") == [
        ("ignored_change", 3, "initiative ORTO: title changed, ignored (the first launch defines an initiative)")]
