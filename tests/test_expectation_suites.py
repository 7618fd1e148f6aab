"""The rules are derived from the JSON Schemas, not copied: the landing
suite's and the staging models' payload rules (judged by the dbt test
payload_rules) come out of the schema keywords, with the staging models'
column names."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from expectations.landing import character_rule, landing_expectations
from expectations.validate import validate_frame
from orchestration.core.registry import parse_registry
from orchestration.core.schemas import latest_versions, load_event_schemas, payload_columns, typed_staging_models
from orchestration.core.staging_rules import staging_rules
from orchestration.ingest import SQL_DIR
from tests.ingest_helpers import NDJSON_FEED


def rules_of(model: str) -> dict[str, dict]:
    return {rule["column"]: rule for rule in staging_rules(model)}


def test_nested_fields_flatten_to_the_staging_column_names():
    schema = latest_versions(load_event_schemas())["contribution.logged"].schema
    rules = {r.column: r.required for r in payload_columns(schema)}
    # initiative.org_id -> initiative_org_id, initiative.initiative_id -> initiative_id
    assert rules == {"initiative_org_id": True, "initiative_id": True, "person_ref": True,
                     "contributor_org_id": False, "kind": True, "amount": True, "unit": True}


def test_contribution_rules_come_from_the_v2_schema_keywords():
    got = rules_of("stg_events__contribution_logged")
    # the quantity of _defs.json: at least 0.000001 (six decimals are kept), at most 1e9
    assert got["amount"] == {"column": "amount", "required": True, "minimum": 1e-06, "minimum_exclusive": False,
                             "maximum": 1e9, "maximum_exclusive": False}
    assert got["unit"]["enum"] == ["hour", "eur", "m2_day"]
    assert got["kind"]["enum"] == ["time", "money", "in_kind", "space"]
    assert (got["person_ref"]["min_length"], got["person_ref"]["max_length"]) == (1, 320)
    # optional: pattern only, not required
    assert got["contributor_org_id"] == {"column": "contributor_org_id", "required": False,
                                         "pattern": "^[A-Za-z0-9._:-]{1,128}$"}
    score = rules_of("stg_events__feedback_recorded")["score"]
    assert (score["minimum"], score["maximum"]) == (1, 5)


def test_merged_coalition_model_requires_only_what_every_type_requires():
    got = rules_of("stg_events__coalition_changes")
    assert got["coalition_id"]["required"]
    # the payload org_id of joined/left is the member: renamed, never checked on the publisher's org_id
    assert "pattern" in got["member_org_id"] and not got["member_org_id"]["required"]
    assert "org_id" not in got


def test_every_payload_type_but_retractions_has_a_typed_model():
    covered = {t for types in typed_staging_models().values() for t in types}
    assert covered | {"event.retracted"} == {t for t, _ in load_event_schemas()}


@pytest.mark.slow
@pytest.mark.xdist_group("hand_checked")
def test_every_generated_rule_names_a_column_the_model_has(marts):
    con = duckdb.connect(str(marts), read_only=True)
    try:
        missing = {}
        for model in typed_staging_models():
            columns = {r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'staging' "
                "AND table_name = ?", [model]).fetchall()}
            gone = set(rules_of(model)) - columns
            if gone:
                missing[model] = gone
    finally:
        con.close()
    # the coalition's purpose is not carried into the membership changes model (payload_rules leaves it out)
    assert missing == {"stg_events__coalition_changes": {"purpose"}}


PROFILE_COLUMNS = ["org_id", "type_version", "event_id_character", "event_id_length", "content_hash_length",
                   "actor_ref_character", "person_ref_character", "quarantined_share"]


def profile(*rows: tuple[int, str, object]) -> pd.DataFrame:
    """A landing profile frame: (first line, column, value) per row, the
    other columns NULL, as landing_profile.sql makes it."""
    return pd.DataFrame([{"source_line": line, **{c: (value if c == column else None) for c in PROFILE_COLUMNS}}
                         for line, column, value in rows])


ALPHA = parse_registry({"feeds": [NDJSON_FEED]}, Path("registry.yml")).feeds[0]
GOOD = [(1, "org_id", "alpha"), (1, "type_version", "member.joined/v1"), (1, "event_id_character", "e"),
        (1, "event_id_length", 2), (1, "content_hash_length", 64), (1, "person_ref_character", "p")]


def test_an_identifier_pattern_is_one_character_class_and_a_length_range():
    assert character_rule("^[A-Za-z0-9._:-]{1,128}$") == ("^[A-Za-z0-9._:-]$", 1, 128)
    with pytest.raises(ValueError, match="one character class"):
        character_rule("^[a-z]+@[a-z]+$")


def test_landing_suite_warns_of_a_mostly_quarantined_file_at_the_feeds_threshold():
    frame = profile(*GOOD, (1, "quarantined_share", 11 / 20), (30, "quarantined_share", 0.1))
    outcome = validate_frame("landing_batch", "f.ndjson", frame, landing_expectations(ALPHA), ["source_line"])
    assert outcome.errors == []
    assert [(f.column, f.severity, f.unexpected_count) for f in outcome.warnings] == [
        ("quarantined_share", "warning", 1)]
    assert not validate_frame("landing_batch", "f.ndjson", profile(*GOOD, (1, "quarantined_share", 0.5)),
                              landing_expectations(ALPHA), ["source_line"]).failures
    # the threshold is the feed's own
    lenient = replace(ALPHA, warn_quarantined_share=0.6)
    assert not validate_frame("landing_batch", "f.ndjson", frame, landing_expectations(lenient),
                              ["source_line"]).failures


def test_landing_suite_refuses_another_org_a_bad_identifier_and_an_unpseudonymised_person():
    frame = profile(*GOOD, (2, "org_id", "beta"), (3, "person_ref_character", "@"),
                    (7, "actor_ref_character", "\uff20"), (4, "event_id_character", " "),
                    (5, "event_id_length", 129), (6, "content_hash_length", 0))
    outcome = validate_frame("landing_batch", "f.ndjson", frame, landing_expectations(ALPHA), ["source_line"],
                             profile=True)
    assert sorted((f.column, f.unexpected_count, f.sample_keys[0]) for f in outcome.errors) == [
        ("actor_ref_character", 1, "7"), ("content_hash_length", 1, "6"), ("event_id_character", 1, "4"),
        ("event_id_length", 1, "5"),
        ("org_id", 1, "2"), ("person_ref_character", 1, "3")]
    org = next(f for f in outcome.errors if f.column == "org_id")
    assert org.describe("f.ndjson") == (
        "f.ndjson.org_id: expect_column_values_to_be_in_set failed for 1 distinct value(s) ('beta'); e.g. 2")


def test_the_profile_of_a_batch_holds_every_value_the_record_rules_see(tmp_path):
    """landing_profile.sql on a hand-made resolved batch of two files: each
    distinct value once, with the file and line it first occurs on;
    quarantined records only in each file's share (on the line of its first
    quarantined record)."""
    from orchestration.core.warehouse import connect, sql_text

    con = connect(tmp_path / "w.duckdb")
    try:
        con.execute("""CREATE TEMP TABLE landing_outcome AS SELECT * FROM (VALUES
            ('/in/a.ndjson', 1, 0, 'stored', 'alpha', 'ab', 'member.joined', 1, repeat('f', 64), NULL,
             '{"person_ref":"p"}'),
            ('/in/a.ndjson', 2, 1, 'duplicate', 'alpha', 'ba', 'member.joined', 1, repeat('f', 64), 'a@b', '{}'),
            ('/in/a.ndjson', 3, 2, 'quarantined', 'beta', 'zz', 'member.left', 9, NULL, NULL, NULL),
            ('/in/b.ndjson', 1, 3, 'stored', 'alpha', 'abc', 'member.left', 1, repeat('0', 64), NULL,
             '{"person_ref":"q"}')
        ) AS t(source_file, line_no, batch_row, outcome, org_id, event_id, event_type, schema_version,
               content_hash, actor_ref, payload)""")
        frame = con.execute(sql_text("landing_profile.sql", SQL_DIR), {"min_records_for_share": 1}).fetch_df()
        # a file's share only from that many records on: one bad line of three is not corruption
        few = con.execute(sql_text("landing_profile.sql", SQL_DIR), {"min_records_for_share": 2}).fetch_df()
    finally:
        con.close()
    assert list(few["quarantined_share"].dropna()) == [0.3333]
    rows = {(column, str(row[column]), row["source_line"]) for _, row in frame.iterrows()
            for column in PROFILE_COLUMNS if pd.notna(row[column])}
    assert rows == {
        ("org_id", "alpha", "a.ndjson:1"), ("type_version", "member.joined/v1", "a.ndjson:1"),
        ("type_version", "member.left/v1", "b.ndjson:1"), ("event_id_character", "a", "a.ndjson:1"),
        ("event_id_character", "b", "a.ndjson:1"), ("event_id_character", "c", "b.ndjson:1"),
        ("event_id_length", "2", "a.ndjson:1"), ("event_id_length", "3", "b.ndjson:1"),
        ("content_hash_length", "64", "a.ndjson:1"), ("actor_ref_character", "a", "a.ndjson:2"),
        ("actor_ref_character", "@", "a.ndjson:2"), ("actor_ref_character", "b", "a.ndjson:2"),
        ("person_ref_character", "p", "a.ndjson:1"), ("person_ref_character", "q", "b.ndjson:1"),
        ("quarantined_share", "0.3333", "a.ndjson:3"), ("quarantined_share", "0.0", "b.ndjson:1")}


def test_validation_results_keep_only_the_most_recent_runs(tmp_path, monkeypatch):
    import orchestration.core.check_results as results
    from orchestration.core.warehouse import connect

    monkeypatch.setattr(results, "KEEP_VALIDATION_RUNS", 3)
    outcome = validate_frame("s", "t", pd.DataFrame({"a": [1]}), [], ["a"])
    con = connect(tmp_path / "w.duckdb")
    try:
        for n in range(5):
            results.record_validations(con, f"run{n}", "landing", ["raw", "events"], [("b", outcome), ("c", outcome)])
            con.execute("UPDATE quality.validation_results SET validated_at = TIMESTAMP '2026-01-01' + "
                        "to_days(CAST(substr(run_id, 4) AS INTEGER)) WHERE run_id = ?", [f"run{n}"])
        kept = con.execute("SELECT run_id, count(*) FROM quality.validation_results GROUP BY 1 ORDER BY 1").fetchall()
    finally:
        con.close()
    assert kept == [("run2", 2), ("run3", 2), ("run4", 2)]
