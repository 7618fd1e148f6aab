"""A record whose objects repeat a member name is one thing to the validator
(orjson keeps the last) and another to the store (DuckDB keeps the first):
each such record is refused as malformed_record, in every format and at
every depth, before anything of it is stored. Every case here stored an
address in clear, or a leave validated as a join, before the check."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.ingest_helpers import CSV_FEED, NDJSON_FEED, PARQUET_FEED, Harness, envelope

ADDRESS = "Alice@Example.it"
GOOD = json.dumps(envelope("good"))
RULE = "(I-JSON, RFC 7493: member names are unique)"
# (name, the record's text with a repeated name, where the message places it)
REPEATS = [
    ("envelope", GOOD[:-1] + ', "event_type": "member.left"}', '"event_type" appears twice at the top of the record'),
    ("payload", GOOD.replace('"person_ref": "p1"', f'"person_ref": "decoy", "person_ref": "{ADDRESS}"'),
     '"person_ref" appears twice in payload'),
    ("two payloads", GOOD[:-1] + f', "payload": {{"person_ref": "{ADDRESS}", "role": "member"}}}}',
     '"payload" appears twice at the top of the record'),
    ("reference", json.dumps(envelope("c1", event_type="contribution.logged", version=2, payload={
        "initiative": {"org_id": "alpha", "initiative_id": "i1"}, "person_ref": "p1", "kind": "time",
        "amount": 2, "unit": "hour"})).replace('"initiative_id": "i1"', '"initiative_id": "i1", "initiative_id": "i2"'),
     '"initiative_id" appears twice in payload.initiative'),
    ("escaped", GOOD.replace('"role": "member"', '"role": "say \\"hi\\"\\\\", "role": "member"'),
     '"role" appears twice in payload'),
    # stored as a hacker, it once failed the staging suite and held back every organisation's marts
    ("role", GOOD.replace('"role": "member"', '"role": "hacker", "role": "member"'), '"role" appears twice in payload'),
]


def stored_and_quarantined(harness: Harness) -> tuple[list, list]:
    return (harness.query("SELECT event_id FROM raw.events ORDER BY event_id"),
            harness.query("SELECT reason, message FROM raw.quarantine ORDER BY source_line"))


def assert_refused(harness: Harness, where: str) -> None:
    events, quarantined = stored_and_quarantined(harness)
    assert events == [("good",)]
    assert quarantined == [("malformed_record", f"member name {where} {RULE}")]
    # the address is in no table: a quarantined original is redacted like any other
    for (text,) in harness.query("SELECT original FROM raw.quarantine"):
        assert ADDRESS.lower() not in text.lower()


@pytest.mark.parametrize(("name", "record", "where"), REPEATS, ids=[r[0] for r in REPEATS])
def test_ndjson_record_with_a_repeated_member_is_malformed(tmp_path, name, record, where):
    harness = Harness(tmp_path)
    harness.write("alpha/a.ndjson", GOOD + "\n" + record + "\n")
    (outcome,) = harness.ingest()
    assert (outcome.records_read, outcome.stored, outcome.quarantined) == (2, 1, 1)
    assert_refused(harness, where)


@pytest.mark.parametrize(("name", "record", "where"), [r for r in REPEATS if r[0] in ("payload", "reference")],
                         ids=["payload", "reference"])
def test_csv_payload_column_with_a_repeated_member_is_malformed(tmp_path, name, record, where):
    harness = Harness(tmp_path, feeds=[CSV_FEED])
    payload = json.dumps(json.loads(GOOD)["payload"])
    bad_payload = record[record.index('"payload": ') + len('"payload": '):-1]
    event_type, version = ("contribution.logged", 2) if name == "reference" else ("member.joined", 1)
    rows = [("good", "adesione", 1, payload), ("bad", event_type, version, bad_payload)]
    harness.write("beta/x.csv", "id;ente;tipo;v;quando;chi;dati\n" + "".join(
        f'{i};beta;{t};{v};2025-01-15 10:00:00;;"{p.replace(chr(34), chr(34) * 2)}"\n' for i, t, v, p in rows))
    (outcome,) = harness.ingest()
    assert (outcome.stored, outcome.quarantined) == (1, 1)
    assert_refused(harness, where)


def test_parquet_payload_text_with_a_repeated_member_is_malformed(tmp_path):
    harness = Harness(tmp_path, feeds=[PARQUET_FEED])
    pq.write_table(pa.table({
        "event_id": ["good", "bad"], "org_id": ["gamma", "gamma"], "event_type": ["member.joined"] * 2,
        "schema_version": [1, 1], "occurred_at": ["2025-03-01T10:00:00Z"] * 2,
        "payload": ['{"person_ref": "p1", "role": "member"}',
                    f'{{"person_ref": "decoy", "person_ref": "{ADDRESS}", "role": "member"}}'],
    }), tmp_path / "gamma.parquet")
    (tmp_path / "gamma").mkdir()
    (tmp_path / "gamma.parquet").rename(tmp_path / "gamma" / "a.parquet")
    (outcome,) = harness.ingest()
    assert (outcome.stored, outcome.quarantined) == (1, 1)
    assert_refused(harness, '"person_ref" appears twice in payload')


def test_parquet_nested_reference_with_a_repeated_member_is_malformed(tmp_path):
    harness = Harness(tmp_path, feeds=[PARQUET_FEED])
    good = {"initiative": {"org_id": "gamma", "initiative_id": "i1"}, "person_ref": "p1", "kind": "time",
            "amount": 2, "unit": "hour"}
    (tmp_path / "gamma").mkdir()
    pq.write_table(pa.table({
        "event_id": ["good", "bad"], "org_id": ["gamma", "gamma"], "event_type": ["contribution.logged"] * 2,
        "schema_version": [2, 2], "occurred_at": ["2025-03-01T10:00:00Z"] * 2,
        "payload": [json.dumps(good), json.dumps(good).replace('"initiative_id": "i1"',
                                                              '"initiative_id": "i1", "initiative_id": "i2"')],
    }), tmp_path / "gamma" / "a.parquet")
    (outcome,) = harness.ingest()
    assert (outcome.stored, outcome.quarantined) == (1, 1)
    assert_refused(harness, '"initiative_id" appears twice in payload.initiative')


def test_a_repeat_in_an_otherwise_invalid_record_is_named_first(tmp_path):
    # the record also has an unknown role: the repeat is what is reported
    harness = Harness(tmp_path)
    harness.write("alpha/a.ndjson", GOOD + "\n" + GOOD.replace('"role": "member"', '"role": "hacker", "role": "x"')
                  + "\n")
    harness.ingest()
    assert_refused(harness, '"role" appears twice in payload')


def test_messages_stay_short_for_a_record_of_500k_members(tmp_path):
    harness = Harness(tmp_path, feeds=[NDJSON_FEED | {"max_line_bytes": 20_000_000}])
    many = ", ".join(f'"k{i}": {i}' for i in range(500_000))
    repeated = ", ".join(f'"k{i % 250_000}": {i}' for i in range(500_000))
    harness.write("alpha/a.ndjson", GOOD[:-1] + ", " + many + "}\n"
                  + GOOD.replace('"role": "member"', '"role": "member", ' + repeated) + "\n")
    (outcome,) = harness.ingest()
    assert outcome.quarantined == 2
    messages = [m for _, m in stored_and_quarantined(harness)[1]]
    assert messages[0].startswith("unexpected envelope field(s): k0, k1, k2")
    assert messages[1] == f'member name "k0" appears twice in payload {RULE}'
    assert max(len(m) for m in messages) <= 2_000
