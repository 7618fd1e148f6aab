"""Every quarantine reason of docs/events.md section 4, each from a minimal bad
record beside a good one, with its file, line and a clear message."""

from __future__ import annotations

import json

import pytest

from tests.ingest_helpers import Harness, envelope, lines

GOOD = envelope("good-1")

CASES = {
    "malformed_record: not JSON": ('{"event_id": "x", ', "malformed_record", "not valid JSON"),
    "malformed_record: not an object": ("[1, 2, 3]", "malformed_record", "not a JSON object"),
    "malformed_record: extra envelope key": (envelope("e2", source="crm"), "malformed_record",
                                             "unexpected envelope field(s): source"),
    "missing_field": ({k: v for k, v in envelope("e2").items() if k != "occurred_at"}, "missing_field",
                      "missing field(s): occurred_at"),
    "missing_field: null": (envelope("e2", payload=None) | {"payload": None}, "missing_field",
                            "missing field(s): payload"),
    "invalid_id": (envelope("has space"), "invalid_id", 'event_id "has space" is not 1-128 characters'),
    "invalid_id: too long": (envelope("x" * 129), "invalid_id", "is not 1-128 characters"),
    "unknown_event_type": (envelope("e2", event_type="member.promoted"), "unknown_event_type",
                           'unknown event_type "member.promoted"'),
    "unknown_schema_version": (envelope("e2", version=3), "unknown_schema_version",
                               "schema_version 3 is not a registered version of member.joined"),
    "unknown_schema_version: zero": (envelope("e2", version=0), "unknown_schema_version", "schema_version 0"),
    "invalid_payload: enum": (envelope("e2", payload={"person_ref": "p1", "role": "boss"}), "invalid_payload",
                              "payload.role: must be one of member, worker, volunteer, beneficiary"),
    "invalid_payload: required": (envelope("e2", payload={"role": "member"}), "invalid_payload",
                                  "payload.person_ref: required field missing"),
    "invalid_payload: nested": (envelope("e2", event_type="feedback.recorded", payload={
        "initiative": {"org_id": "alpha"}, "stakeholder_type": "member", "dimension": "who", "score": 3}),
        "invalid_payload", "payload.initiative.initiative_id: required field missing"),
    "invalid_payload: not an object": (envelope("e2") | {"payload": "hello"}, "invalid_payload",
                                       "payload must be a JSON object"),
    "bad_timestamp: no offset": (envelope("e2", occurred_at="2025-01-05T10:00:00"), "bad_timestamp",
                                 "is not an RFC 3339 timestamp with offset"),
    "bad_timestamp: impossible date": (envelope("e2", occurred_at="2025-02-30T10:00:00Z"), "bad_timestamp",
                                       "is not an RFC 3339 timestamp with offset"),
    "bad_timestamp: future": (envelope("e2", occurred_at="2099-01-01T00:00:00Z"), "bad_timestamp",
                              "is more than 1 day after ingestion"),
    "org_mismatch": (envelope("e2", org_id="beta"), "org_mismatch", 'org_id "beta" in the feed of alpha'),
    "conflicting_duplicate": (envelope("good-1", payload={"person_ref": "p1", "role": "worker"}),
                              "conflicting_duplicate", "event_id good-1 was stored before with different content"),
    "retraction_invalid: unknown": (envelope("e2", event_type="event.retracted",
                                             payload={"event_id": "nope", "reason": "typo"}),
                                    "retraction_invalid", "retracts nope, which is not an earlier event of alpha"),
}


@pytest.mark.parametrize("bad, reason, message", CASES.values(), ids=list(CASES))
def test_each_reason_names_file_line_and_reason(tmp_path, bad, reason, message):
    harness = Harness(tmp_path)
    path = harness.write("alpha/log.ndjson", lines(GOOD, bad))
    (outcome,) = harness.ingest()
    assert (outcome.records_read, outcome.stored, outcome.duplicates, outcome.quarantined) == (2, 1, 0, 1)
    ((line, got_reason, got_message),) = harness.quarantine()
    assert (line, got_reason) == (2, reason)
    assert message in got_message
    ((source, original),) = harness.query("SELECT source_file, original FROM raw.quarantine")
    assert source == str(path)
    # the original record is kept as delivered, so it can be fixed and replayed
    assert original == (bad if isinstance(bad, str) else json.dumps(bad))


def test_retraction_of_a_retraction_and_of_another_orgs_event(tmp_path):
    beta = {"org_id": "beta", "name": "Beta", "sector": "housing", "locality": "Napoli", "format": "ndjson",
            "landing": "beta/*.ndjson", "demo": True}
    harness = Harness(tmp_path, feeds=[
        {"org_id": "alpha", "name": "A", "sector": "s", "locality": "l", "format": "ndjson",
         "landing": "alpha/*.ndjson", "demo": True}, beta])
    harness.write("alpha/log.ndjson", lines(
        envelope("a1"),
        envelope("a2", event_type="event.retracted", payload={"event_id": "a1", "reason": "typo"}),
        envelope("a3", event_type="event.retracted", payload={"event_id": "a2", "reason": "undo"}),
    ))
    harness.write("beta/log.ndjson", lines(
        envelope("b1", org_id="beta", event_type="event.retracted", payload={"event_id": "a1", "reason": "spoof"}),
    ))
    harness.ingest()
    assert harness.query("SELECT org_id, event_id FROM raw.events ORDER BY ALL") == [("alpha", "a1"), ("alpha", "a2")]
    assert [(r[1], r[2]) for r in harness.quarantine()] == [
        ("retraction_invalid", "retracts a2, itself a retraction"),
        ("retraction_invalid", "retracts a1, an event of another organisation"),
    ]


def test_a_retraction_must_follow_its_target(tmp_path):
    harness = Harness(tmp_path)
    harness.write("alpha/log.ndjson", lines(
        envelope("r1", event_type="event.retracted", payload={"event_id": "later", "reason": "typo"}),
        envelope("later"),
    ))
    harness.ingest()
    assert [r[:2] for r in harness.quarantine()] == [(1, "retraction_invalid")]


def test_identical_redelivery_is_a_duplicate_not_a_quarantine(tmp_path):
    harness = Harness(tmp_path)
    harness.write("alpha/a.ndjson", lines(GOOD, GOOD))
    harness.write("alpha/b.ndjson", lines(GOOD))
    first, second = harness.ingest()
    assert (first.stored, first.duplicates, second.stored, second.duplicates) == (1, 1, 0, 1)
    assert harness.quarantine() == []


@pytest.mark.parametrize("content, reason, message", [
    (b"", "empty_file", "the file is empty"),
    ("Ünïcödé".encode("latin-1") + b"\n\xff\xfe\n", "unreadable_file", "no line of the file is UTF-8 text"),
    (b"id,type,when\n1,x,y\n", "unreadable_file", "no record of the file could be read as ndjson"),
])
def test_unreadable_files_are_quarantined_whole_and_the_run_goes_on(tmp_path, content, reason, message):
    harness = Harness(tmp_path)
    harness.write("alpha/a-bad.ndjson", content)
    harness.write("alpha/b-good.ndjson", lines(GOOD))
    bad, good = harness.ingest()
    assert (bad.status, good.status, good.stored) == ("file_quarantined", "ingested", 1)
    assert harness.query("SELECT source_line, reason, message FROM raw.quarantine") == [(None, reason, message)]
    # unchanged, it is skipped next time rather than quarantined again
    assert [o.status for o in harness.ingest()] == ["skipped", "skipped"]


def test_a_bad_utf8_line_among_good_ones_keeps_its_bytes(tmp_path):
    harness = Harness(tmp_path)
    harness.write("alpha/log.ndjson", lines(GOOD).encode() + b'{"event_id": "\xff"}\n')
    harness.ingest()
    assert harness.query("SELECT source_line, reason, message, original, original_bytes FROM raw.quarantine") == [
        (2, "malformed_record", "not valid UTF-8", None, b'{"event_id": "\xff"}')]
