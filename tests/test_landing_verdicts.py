"""The landing suite judged without GX on the ingest path gives the verdict
GX gives on the same profile: generated resolved batches (other
organisations, odd identifiers, hash lengths, at-signs, mostly quarantined
files) through the real landing_profile.sql, judged by profile_rules and
validated by GX the way the event-store step records them; and the ingest
does not load GX at all."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from expectations.landing import KEY_COLUMNS, MIN_RECORDS_FOR_SHARE, landing_rules
from expectations.profile_rules import ProfileRule, judge
from orchestration.core.registry import parse_registry
from orchestration.core.settings import PEPPER_ENV, PROJECT_ROOT
from orchestration.core.warehouse import sql_text
from orchestration.ingest import SQL_DIR
from orchestration.ingest.landing_gate import _ipc
from orchestration.quality.landing_docs import gx_validation
from tests.ingest_helpers import NDJSON_FEED, envelope, lines

ALPHA = parse_registry({"feeds": [{**NDJSON_FEED, "warn_quarantined_share": 0.3}]}, Path("registry.yml")).feeds[0]
OUTCOME_COLUMNS = ["source_file", "line_no", "batch_row", "outcome", "org_id", "event_id", "event_type",
                   "schema_version", "content_hash", "actor_ref", "payload"]

record = st.fixed_dictionaries({
    "source_file": st.sampled_from(["/in/a.ndjson", "/in/b.ndjson"]),
    "outcome": st.sampled_from(["stored", "stored", "duplicate", "quarantined"]),
    "org_id": st.sampled_from(["alpha", "alpha", "alpha", "beta"]),
    "event_id": st.text(st.sampled_from("ab9._:- z\u00e9"), min_size=0, max_size=4),
    "type_version": st.sampled_from([("member.joined", 1), ("member.left", 1), ("member.joined", 7)]),
    "hash_length": st.sampled_from([64, 64, 63, 0]),
    "actor_ref": st.one_of(st.none(), st.text(st.sampled_from("ab@\uff20"), min_size=1, max_size=3)),
    "person_ref": st.one_of(st.none(), st.text(st.sampled_from("pq\ufe6b"), min_size=1, max_size=3)),
})


def profile_of(records: list[dict]) -> pa.Table:
    con = duckdb.connect()
    try:
        rows = [(r["source_file"], n + 1, n, r["outcome"], r["org_id"], r["event_id"], *r["type_version"],
                 "f" * r["hash_length"] if r["hash_length"] else None, r["actor_ref"],
                 json.dumps({"person_ref": r["person_ref"]}) if r["person_ref"] else "{}")
                for n, r in enumerate(records)]
        con.execute(f"CREATE TEMP TABLE landing_outcome ({', '.join(OUTCOME_COLUMNS)}) AS "
                    f"SELECT * FROM (VALUES {', '.join(['(' + ', '.join(['?'] * 11) + ')'] * len(rows))})",
                    [value for row in rows for value in row])
        return con.sql(sql_text("landing_profile.sql", SQL_DIR),
                       params={"min_records_for_share": MIN_RECORDS_FOR_SHARE}).to_arrow_table()
    finally:
        con.close()


def both_verdicts(profile: pa.Table, rules: list[ProfileRule]) -> tuple[list, list]:
    ours = judge("landing_batch.alpha", "f.ndjson", profile.to_pylist(), rules, KEY_COLUMNS)
    con = duckdb.connect()
    try:
        theirs = gx_validation(con, "landing_batch.alpha", json.dumps([dataclasses.asdict(r) for r in rules]),
                               [("f.ndjson", _ipc(profile))])
    finally:
        con.close()
    said = [(f.severity, f.describe("f.ndjson")) for f in ours.failures]
    return said, [(f.severity, f.describe("f.ndjson")) for f in theirs.failures_by.get("f.ndjson", [])]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(record, min_size=1, max_size=30))
def test_the_ingest_judges_a_batch_as_gx_does(records):
    ours, theirs = both_verdicts(profile_of(records), landing_rules(ALPHA))
    assert ours == theirs


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(record, min_size=1, max_size=12), min_size=2, max_size=4))
def test_one_gx_validation_of_several_batches_says_each_batch_as_the_ingest_judged_it(batches):
    rules = landing_rules(ALPHA)
    profiles = [(f"b{n}.ndjson (lines 1-{len(records)})", profile_of(records)) for n, records in enumerate(batches)]
    con = duckdb.connect()
    try:
        theirs = gx_validation(con, "landing_batch.alpha", json.dumps([dataclasses.asdict(r) for r in rules]),
                               [(label, _ipc(profile)) for label, profile in profiles])
    finally:
        con.close()
    for label, profile in profiles:
        ours = judge("landing_batch.alpha", label, profile.to_pylist(), rules, KEY_COLUMNS)
        assert [f.describe(label) for f in theirs.failures_by.get(label, [])] == \
            [f.describe(label) for f in ours.failures]
    assert theirs.rows == sum(profile.num_rows for _, profile in profiles)
    assert theirs.table == f"{len(profiles)} batches, the first {profiles[0][0]}, the last {profiles[-1][0]}"


def test_every_landing_rule_broken_at_once_is_said_as_gx_says_it():
    records = [{"source_file": "/in/a.ndjson", "outcome": "stored", "org_id": "alpha", "event_id": "ab",
                "type_version": ("member.joined", 1), "hash_length": 64, "actor_ref": "a", "person_ref": "p"}] * 20
    records += [{**records[0], "org_id": "beta", "event_id": "a b" + "x" * 130, "type_version": ("member.joined", 7),
                 "hash_length": 63, "actor_ref": "a@b", "person_ref": "p\ufe6b"},
                *[{**records[0], "outcome": "quarantined"}] * 10]
    ours, theirs = both_verdicts(profile_of(records), landing_rules(ALPHA))
    assert ours == theirs
    assert [severity for severity, _ in ours] == ["critical"] * 7 + ["warning"]
    assert ours[0][1] == ("f.ndjson.org_id: expect_column_values_to_be_in_set failed for 1 distinct value(s) "
                          "('beta'); e.g. 21")


def test_the_ingest_path_does_not_load_great_expectations(tmp_path):
    """An ingest of a feed in a fresh process (the bench's worker), its landing suite judged and kept."""
    (tmp_path / "alpha").mkdir()
    (tmp_path / "alpha" / "a.ndjson").write_text(lines(envelope("e1")))
    script = f"""
import sys
from pathlib import Path
from orchestration.core.registry import parse_registry
from orchestration.core.warehouse import connect
from orchestration.ingest.feeds import ingest_feed, sync_registry
from orchestration.ingest.ingest_run import IngestRun
from tests.ingest_helpers import NDJSON_FEED
registry = parse_registry({{"feeds": [NDJSON_FEED]}}, Path({str(tmp_path / 'registry.yml')!r}))
con = connect(Path({str(tmp_path / 'w.duckdb')!r}))
sync_registry(con, registry)
(outcome,) = ingest_feed(con, registry.feeds[0], IngestRun("r1", IngestRun.utc_now()))
kept = con.execute("SELECT count(*) FROM quality.landing_profiles").fetchall()[0][0]
print(outcome.stored, kept, "great_expectations" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          env={**os.environ, PEPPER_ENV: "a-test-pepper-of-enough-length-0123456789"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["1", "1", "False"]


def test_kept_profiles_are_validated_together_by_run_and_rules_and_apart_when_a_label_repeats():
    from orchestration.quality.landing_docs import _validations

    def kept(run, batch_no, suite, label, rules="[]"):
        return (run, batch_no, suite, label, rules, "[]", b"")

    alpha, beta = "landing_batch.alpha", "landing_batch.beta"
    rows = [kept("r1", 1, alpha, "a (lines 1-2)"), kept("r1", 2, beta, "b (lines 1-1)"),
            kept("r1", 3, alpha, "a (lines 3-4)"), kept("r2", 1, alpha, "a (lines 5-5)"),
            kept("r1", 4, alpha, "a (lines 1-2)"), kept("r1", 5, alpha, "c", '["x"]')]
    assert [[(run, batch_no) for run, batch_no, *_ in part] for part in _validations(rows)] == [
        [("r1", 1), ("r1", 3)], [("r1", 4)], [("r1", 2)], [("r2", 1)], [("r1", 5)]]
