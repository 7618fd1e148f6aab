"""What the warehouse may never hold or reach: an e-mail address in any
encoding, a file outside a feed's folder, the host's files through SQL, a
second pepper; and a registry that says exactly what it means."""

from __future__ import annotations

import json

import duckdb
import pytest

from orchestration.core.registry import RegistryError, load_registry
from orchestration.ingest.pepper_guard import PepperMismatch
from orchestration.queries import read_only_query
from tests.ingest_helpers import NDJSON_FEED, Harness, envelope, lines

ADDRESS_FORMS = ["hank@leak.example", "hank\\u0040leak.example", "hank\uff20leak.example",
                 "hank%40leak.example", "hank&#64;leak.example"]


def no_address_anywhere(harness: Harness) -> None:
    """No text or blob column of the warehouse holds the address, in any form."""
    columns = harness.query("SELECT table_schema, table_name, column_name FROM information_schema.columns "
                            "WHERE data_type IN ('VARCHAR', 'JSON', 'BLOB') AND table_schema = 'raw'")
    assert len(columns) > 10
    for schema, table, column in columns:
        rows = harness.query(f'SELECT "{column}"::VARCHAR FROM "{schema}"."{table}" WHERE "{column}" IS NOT NULL')
        for (text,) in rows:
            # every address of the test ends in k.example (hank@leak.example, j\uff20k.example)
            assert "k.example" not in text.lower(), f"{schema}.{table}.{column}"


def test_no_address_survives_in_any_encoding_or_escape(tmp_path):
    harness = Harness(tmp_path)
    harness.write("alpha/a.ndjson", b"".join([
        # not UTF-8: its bytes are kept for a replay, redacted
        b'{"event_id": "e1", "note": "\xff\xfe hank@leak.example and j\xef\xbc\xa0k.example"}\n',
        # escaped and full-width forms in records that fail for another reason (a field too many)
        *[(json.dumps(envelope(f"bad{n}"), ensure_ascii=False)[:-1]
           + f', "x": "{form}"}}\n').encode() for n, form in enumerate(ADDRESS_FORMS)],
        # a full-width address as a person is pseudonymised like a plain one
        lines(envelope("p1", payload={"person_ref": "hank\uff20leak.example", "role": "member"}),
              envelope("p2", payload={"person_ref": "Hank@Leak.example", "role": "member"})).encode(),
        # free text may not hold one in any width
        lines(envelope("t1", event_type="initiative.launched", payload={
            "initiative_id": "i1", "title": "write to hank\uff20leak.example", "sector": "s",
            "locality": "l"})).encode(),
    ]))
    (outcome,) = harness.ingest()
    assert (outcome.stored, outcome.quarantined) == (2, 7)
    assert outcome.reasons == {"malformed_record": 6, "invalid_payload": 1}
    no_address_anywhere(harness)
    people = harness.query("SELECT DISTINCT payload->>'$.person_ref' FROM raw.events")
    assert len(people) == 1 and len(people[0][0]) == 64
    # the redacted bytes are still the record's bytes around the pseudonym
    (blob,) = harness.query("SELECT original_bytes FROM raw.quarantine WHERE source_line = 1")[0]
    assert blob.startswith(b'{"event_id": "e1", "note": "\xff\xfe ') and b"@" not in blob


def test_landing_paths_stay_inside_the_feeds_folder(tmp_path):
    outside = tmp_path / "host" / "secret.ndjson"
    outside.parent.mkdir()
    outside.write_text(json.dumps(envelope("stolen")) + "\n")
    harness = Harness(tmp_path)
    harness.write("alpha/a.ndjson", lines(envelope("e1")))
    (tmp_path / "alpha" / "link.ndjson").symlink_to(outside)
    inside = harness.write("alpha/sub/real.ndjson", lines(envelope("e2")))
    (tmp_path / "alpha" / "alias.ndjson").symlink_to(inside)  # a link that stays inside is followed
    outcomes = {o.source_file.rsplit("/", 1)[-1]: o for o in harness.ingest()}
    assert outcomes["link.ndjson"].status == "refused"
    assert "leads outside the feed's folder" in outcomes["link.ndjson"].message
    assert harness.query("SELECT event_id FROM raw.events ORDER BY 1") == [("e1",), ("e2",)]
    assert harness.query("SELECT count(*) FROM raw.quarantine") == [(0,)]
    with pytest.raises(RegistryError, match=r"feeds\[0\]: landing '\.\./host/\*\.ndjson' may not climb"):
        Harness(tmp_path, feeds=[NDJSON_FEED | {"landing": "../host/*.ndjson"}])


@pytest.mark.parametrize(("text", "message"), [
    ("feeds:\n- &a {org_id: a}\n- *a\n", r"registry.yml: line 3: YAML aliases \(\*name\) are not allowed"),
    ("feeds: []\nfeeed: 1\n", r"registry.yml: unknown key\(s\) feeed"),
    ("feeds:\n- {org_id: a, name: A, sector: s, locality: l, format: ndjson, landing: 'a/*', fromat: csv}\n",
     r"registry.yml: feeds\[0\]: unknown key\(s\) fromat"),
    ("feeds:\n- org_id: a\n  org_id: b\n", r"registry.yml: line 3: key 'org_id' given twice"),
    ("partners:\n- {name: p, kk: 3}\nfeeds: []\n", r"partners\[0\]: unknown key\(s\) kk"),
])
def test_the_registry_is_read_strictly(tmp_path, text, message):
    path = tmp_path / "registry.yml"
    path.write_text(text)
    with pytest.raises(RegistryError, match=message):
        load_registry(path)


def test_a_yaml_bomb_is_refused_before_it_expands(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}]\n"
        for n in range(20))
    path = tmp_path / "registry.yml"
    path.write_text(bomb)
    with pytest.raises(RegistryError, match="aliases"):
        load_registry(path)


def test_the_read_only_connection_cannot_touch_the_file_system(tmp_path):
    path = tmp_path / "wh.duckdb"
    duckdb.connect(str(path)).close()
    for query in ("select * from read_csv('/etc/passwd')", "select * from read_blob('/etc/hostname')",
                  "select * from glob('/etc/*')"):
        with pytest.raises(duckdb.PermissionException):
            read_only_query(path, query)


def test_a_run_with_another_pepper_stops_before_storing_anything(tmp_path, monkeypatch):
    monkeypatch.setenv("COOPMETRICS_PEPPER", "the-first-one")
    harness = Harness(tmp_path, feeds=[NDJSON_FEED | {"demo": False}])
    harness.write("alpha/a.ndjson", lines(envelope("e1", payload={"person_ref": "a@b.c", "role": "member"})))
    harness.ingest()
    harness.write("alpha/b.ndjson", lines(envelope("e2", payload={"person_ref": "a@b.c", "role": "member"})))
    monkeypatch.setenv("COOPMETRICS_PEPPER", "a-second-one")
    with pytest.raises(PepperMismatch, match="pseudonymised with another COOPMETRICS_PEPPER"):
        harness.ingest()
    monkeypatch.delenv("COOPMETRICS_PEPPER")
    demo = Harness(tmp_path, feeds=[NDJSON_FEED], db=harness.db)
    with pytest.raises(PepperMismatch, match="this run would use the demo secret"):
        demo.ingest()
    assert harness.query("SELECT event_id FROM raw.events") == [("e1",)]
    assert harness.query("SELECT count(*) FROM raw.pepper_fingerprint") == [(1,)]
    # the fingerprint is not the pepper
    assert "the-first-one" not in harness.query("SELECT fingerprint FROM raw.pepper_fingerprint")[0][0]
