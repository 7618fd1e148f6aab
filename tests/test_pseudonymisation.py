"""People: e-mail addresses become HMAC-SHA256(pepper, lower(trim(email)))
before anything is stored; no '@' survives anywhere in the warehouse."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from orchestration.core.pseudonyms import DEMO_PEPPER, PepperMissing
from tests.ingest_helpers import NDJSON_FEED, Harness, envelope, lines


def expected(pepper: str, email: str) -> str:
    return hmac.new(pepper.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()


def test_emails_become_the_same_pseudonym_everywhere(tmp_path, monkeypatch):
    monkeypatch.setenv("COOPMETRICS_PEPPER", "s3cret-pepper")
    harness = Harness(tmp_path, feeds=[NDJSON_FEED | {"demo": False}])
    harness.write("alpha/log.ndjson", lines(
        envelope("e1", payload={"person_ref": " Ada@Example.org ", "role": "member"}),
        envelope("e2", event_type="member.left", payload={"person_ref": "ada@example.org"},
                 actor_ref="Clerk@Example.org"),
        envelope("e3", payload={"person_ref": "m-0042", "role": "worker"}),
        envelope("e4", payload={"person_ref": "ada@example.org", "role": "boss"}),  # quarantined
    ))
    harness.ingest()
    ada = expected("s3cret-pepper", "ada@example.org")
    assert harness.query("SELECT event_id, payload->>'$.person_ref', actor_ref FROM raw.events ORDER BY 1") == [
        ("e1", ada, None), ("e2", ada, expected("s3cret-pepper", "clerk@example.org")), ("e3", "m-0042", None)]
    # the quarantined original keeps its shape, with the address pseudonymised
    ((original,),) = harness.query("SELECT original FROM raw.quarantine")
    assert f'"person_ref": "{ada}"' in original


def test_no_at_sign_anywhere_in_the_warehouse(tmp_path, monkeypatch):
    monkeypatch.setenv("COOPMETRICS_PEPPER", "another")
    harness = Harness(tmp_path)
    harness.write("alpha/log.ndjson", lines(
        envelope("e1", payload={"person_ref": "x@y.org", "role": "member"}, actor_ref="boss@y.org"),
        envelope("e@2", payload={"person_ref": "x@y.org", "role": "member"}),
        '{"broken": "z@y.org"',
        envelope("e3", event_type="initiative.launched", payload={
            "initiative_id": "i1", "title": "write to info@y.org", "sector": "s", "locality": "l"}),
    ))
    harness.ingest()
    columns = harness.query("SELECT table_schema, table_name, column_name FROM information_schema.columns "
                            "WHERE data_type IN ('VARCHAR', 'JSON') AND table_schema = 'raw'")
    assert len(columns) > 10
    for schema, table, column in columns:
        hits = harness.query(f'SELECT count(*) FROM "{schema}"."{table}" WHERE contains("{column}"::VARCHAR, \'@\')')
        assert hits == [(0,)], f"{schema}.{table}.{column} holds an @"
    assert harness.query("SELECT count(*) FROM raw.quarantine") == [(3,)]


def test_real_feeds_are_refused_without_the_secret(tmp_path, monkeypatch):
    monkeypatch.delenv("COOPMETRICS_PEPPER", raising=False)
    harness = Harness(tmp_path, feeds=[NDJSON_FEED | {"demo": False}])
    harness.write("alpha/log.ndjson", lines(envelope("e1")))
    with pytest.raises(PepperMissing, match="COOPMETRICS_PEPPER is not set: refusing to ingest"):
        harness.ingest()
    assert harness.query("SELECT count(*) FROM raw.events") == [(0,)]


def test_demo_feeds_use_the_demo_secret(tmp_path, monkeypatch):
    monkeypatch.delenv("COOPMETRICS_PEPPER", raising=False)
    harness = Harness(tmp_path)
    harness.write("alpha/log.ndjson", lines(envelope("e1", payload={"person_ref": "a@b.c", "role": "member"})))
    harness.ingest()
    assert harness.query("SELECT payload->>'$.person_ref' FROM raw.events") == [(expected(DEMO_PEPPER, "a@b.c"),)]
