"""Timestamps are read by the contract, never by a permissive cast: RFC 3339
exactly in NDJSON (T and Z in either case, offsets within 23:59, a year
from 1900); in CSV an explicit offset or zone is honoured and a naive local
time that a daylight-saving change skips or repeats is bad_timestamp unless
the registry says how to read it. Each case below was once stored at a
wrong instant, or refused though the contract accepts it."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from orchestration.core.registry import RegistryError, parse_registry
from tests.ingest_helpers import CSV_FEED, Harness, envelope

RFC_RULE = ("is not an RFC 3339 timestamp with offset (YYYY-MM-DDTHH:MM:SS[.fraction] then Z or +HH:MM/-HH:MM, "
            "hours below 24, minutes and seconds below 60, a year from 1900)")


@pytest.mark.parametrize(("written", "stored"), [
    ("2025-01-05t10:00:00z", datetime(2025, 1, 5, 10)),
    ("2025-01-05T10:00:00+23:59", datetime(2025, 1, 4, 10, 1)),
    ("2025-01-05T10:00:00.123456789-00:30", datetime(2025, 1, 5, 10, 30, 0, 123456)),
    ("1900-01-01T00:00:00Z", datetime(1900, 1, 1)),
])
def test_ndjson_accepts_every_rfc_3339_form(tmp_path, written, stored):
    harness = Harness(tmp_path)
    harness.write("alpha/a.ndjson", json.dumps(envelope(occurred_at=written)) + "\n")
    (outcome,) = harness.ingest()
    assert outcome.stored == 1
    assert harness.query("SELECT occurred_at FROM raw.events") == [(stored,)]


@pytest.mark.parametrize("written", [
    "2025-01-05T10:00:00+99:00", "2025-01-05T10:00:00+24:00", "2025-01-05T10:00:00+01:60",
    "2025-01-05 10:00:00Z", "2025-06-30T23:59:60Z", "0001-01-05T10:00:00Z", "1899-12-31T23:59:59Z",
    "2025-13-01T10:00:00Z", "2025-01-05T24:00:00Z",
])
def test_ndjson_refuses_what_rfc_3339_or_the_marts_do_not_hold(tmp_path, written):
    harness = Harness(tmp_path)
    harness.write("alpha/a.ndjson", json.dumps(envelope(occurred_at=written)) + "\n")
    harness.ingest()
    assert harness.quarantine() == [(1, "bad_timestamp", f"occurred_at {json.dumps(written)} {RFC_RULE}")]


def csv_harness(tmp_path, **csv_options):
    feed = CSV_FEED | {"csv": CSV_FEED["csv"] | csv_options}
    return Harness(tmp_path, feeds=[feed])


def csv_rows(*times: str) -> str:
    payload = '"{""person_ref"": ""p1"", ""role"": ""member""}"'
    return "id;ente;tipo;v;quando;chi;dati\n" + "".join(
        f"b{n};beta;adesione;1;{t};;{payload}\n" for n, t in enumerate(times, 1))


def test_csv_honours_an_explicit_offset_or_zone(tmp_path):
    harness = csv_harness(tmp_path)
    harness.write("beta/x.csv", csv_rows(
        "2025-01-05 10:00:00-0500", "2025-01-05 10:00:00-05", "2025-01-05 10:00:00 America/New_York",
        "2025-07-05 10:00:00 America/New_York", "2025-01-05T10:00:00-05:00", "2025-01-05 10:00:00Z",
        "2025-01-05 10:00:00+0530", "2025-01-05 10:00"))
    (outcome,) = harness.ingest()
    assert (outcome.stored, outcome.quarantined) == (8, 0)
    assert harness.query("SELECT occurred_at FROM raw.events ORDER BY source_line") == [
        (datetime(2025, 1, 5, 15),), (datetime(2025, 1, 5, 15),), (datetime(2025, 1, 5, 15),),
        (datetime(2025, 7, 5, 14),), (datetime(2025, 1, 5, 15),), (datetime(2025, 1, 5, 10),),
        (datetime(2025, 1, 5, 4, 30),), (datetime(2025, 1, 5, 9),)]


def test_csv_refuses_an_offset_or_zone_it_cannot_honour(tmp_path):
    harness = csv_harness(tmp_path)
    harness.write("beta/x.csv", csv_rows("2025-01-05 10:00:00+2400", "2025-01-05 10:00:00 Mars/Olympus",
                                         "2025-01-05 10:00:00 -05 bis", "1850-01-05 10:00:00Z"))
    harness.ingest()
    assert harness.quarantine() == [
        (2, "bad_timestamp", 'occurred_at "2025-01-05 10:00:00+2400" has an offset beyond 23:59'),
        (3, "bad_timestamp", 'occurred_at "2025-01-05 10:00:00 Mars/Olympus" names a time zone that does not exist'),
        (4, "bad_timestamp", 'occurred_at "2025-01-05 10:00:00 -05 bis" is not a date and time (YYYY-MM-DD '
            "HH:MM[:SS], then Z, +HH:MM, +HHMM, +HH or an IANA time zone, or nothing for the feed's zone)"),
        (5, "bad_timestamp", 'occurred_at "1850-01-05 10:00:00Z" is before 1900, the earliest year the contract holds'),
    ]


def test_csv_refuses_a_local_time_a_dst_change_skips_or_repeats(tmp_path):
    harness = csv_harness(tmp_path)
    harness.write("beta/x.csv", csv_rows("2025-03-30 02:30:00", "2025-10-26 02:30:00", "2025-03-30 03:30:00",
                                         "2025-10-26 03:30:00"))
    (outcome,) = harness.ingest()
    assert (outcome.stored, outcome.quarantined) == (2, 2)
    hint = "csv.dst_resolution (before_change, after_change)"
    assert harness.quarantine() == [
        (2, "bad_timestamp", f'occurred_at "2025-03-30 02:30:00" does not exist in Europe/Rome (the clocks skip '
            f"it); {hint} says how to read it"),
        (3, "bad_timestamp", f'occurred_at "2025-10-26 02:30:00" happens twice in Europe/Rome (the clocks go back '
            f"over it); {hint} says which to read")]
    # either side of each change, an hour from it, is one instant
    assert harness.query("SELECT occurred_at FROM raw.events ORDER BY source_line") == [
        (datetime(2025, 3, 30, 1, 30),), (datetime(2025, 10, 26, 2, 30),)]


@pytest.mark.parametrize(("resolution", "skipped", "repeated"), [
    ("before_change", datetime(2025, 3, 30, 1, 30), datetime(2025, 10, 26, 0, 30)),
    ("after_change", datetime(2025, 3, 30, 0, 30), datetime(2025, 10, 26, 1, 30)),
])
def test_the_registry_says_how_to_read_such_a_time(tmp_path, resolution, skipped, repeated):
    harness = csv_harness(tmp_path, dst_resolution=resolution)
    harness.write("beta/x.csv", csv_rows("2025-03-30 02:30:00", "2025-10-26 02:30:00"))
    (outcome,) = harness.ingest()
    assert outcome.stored == 2
    assert harness.query("SELECT occurred_at FROM raw.events ORDER BY source_line") == [(skipped,), (repeated,)]


def test_an_unknown_dst_resolution_is_refused_with_the_registry(tmp_path):
    feed = CSV_FEED | {"csv": CSV_FEED["csv"] | {"dst_resolution": "guess"}}
    with pytest.raises(RegistryError, match="csv.dst_resolution must be one of refuse, before_change, after_change"):
        parse_registry({"feeds": [feed]}, tmp_path / "registry.yml")
