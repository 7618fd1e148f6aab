"""The suites are derived from the JSON Schemas, not copied: the rules come
out of the schema keywords, with the staging models' column names."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from expectations.landing import MIN_RECORDS_FOR_SHARE, landing_expectations
from expectations.runner import validate_frame
from expectations.staging import TYPED_MODELS, field_rules, staging_expectations
from orchestration.ingest.schemas import latest_versions, load_event_schemas


def kinds(expectations) -> set[tuple]:
    out = set()
    for e in expectations:
        config = e.configuration.kwargs
        bounds = tuple(config.get(k) for k in ("min_value", "max_value", "strict_min", "strict_max")
                       if config.get(k) is not None)
        out.add((e.expectation_type, config.get("column"), bounds, tuple(config.get("value_set") or ())))
    return out


def test_nested_fields_flatten_to_the_staging_column_names():
    schema = latest_versions(load_event_schemas())["contribution.logged"].schema
    rules = {r.column: r.required for r in field_rules(schema)}
    # initiative.org_id -> initiative_org_id, initiative.initiative_id -> initiative_id
    assert rules == {"initiative_org_id": True, "initiative_id": True, "person_ref": True,
                     "contributor_org_id": False, "kind": True, "amount": True, "unit": True}


def test_contribution_rules_come_from_the_v2_schema_keywords():
    got = kinds(staging_expectations("stg_events__contribution_logged"))
    assert ("expect_column_values_to_be_between", "amount", (0, True), ()) in got  # exclusiveMinimum 0
    assert ("expect_column_values_to_be_in_set", "unit", (), ("hour", "eur", "m2_day")) in got
    assert ("expect_column_values_to_be_in_set", "kind", (), ("time", "money", "in_kind", "space")) in got
    assert ("expect_column_value_lengths_to_be_between", "person_ref", (1, 320), ()) in got
    # optional: pattern only, no not-null
    assert ("expect_column_values_to_match_regex", "contributor_org_id", (), ()) in got
    assert ("expect_column_values_to_not_be_null", "contributor_org_id", (), ()) not in got
    assert ("expect_column_values_to_be_between", "score", (1, 5), ()) in kinds(
        staging_expectations("stg_events__feedback_recorded"))


def test_merged_coalition_model_requires_only_what_every_type_requires():
    got = {(kind, column) for kind, column, _, _ in kinds(staging_expectations("stg_events__coalition_changes"))}
    assert ("expect_column_values_to_not_be_null", "coalition_id") in got
    # the payload org_id of joined/left is the member: renamed, never checked on the publisher's org_id
    assert ("expect_column_values_to_match_regex", "member_org_id") in got
    assert not {c for _, c in got} & {"org_id"}


def test_every_payload_type_but_retractions_has_a_typed_model():
    covered = {t for types in TYPED_MODELS.values() for t in types}
    assert covered | {"event.retracted"} == {t for t, _ in load_event_schemas()}


@pytest.mark.slow
@pytest.mark.xdist_group("hand_checked")
def test_every_generated_rule_names_a_column_the_model_has(marts):
    con = duckdb.connect(str(marts), read_only=True)
    try:
        missing = {}
        for model in TYPED_MODELS:
            columns = {r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'staging' "
                "AND table_name = ?", [model]).fetchall()}
            gone = {e.configuration.kwargs["column"] for e in staging_expectations(model)} - columns
            if gone:
                missing[model] = gone
    finally:
        con.close()
    # the coalition's purpose is not carried into the membership changes model
    assert missing == {"stg_events__coalition_changes": {"purpose"}}


def batch(outcomes: list[str], **columns) -> pd.DataFrame:
    n = len(outcomes)
    base = {"source_line": list(range(1, n + 1)), "outcome": outcomes,
            "org_id": ["alpha"] * n, "type_version": ["member.joined/v1"] * n, "event_id": ["e1"] * n,
            "content_hash": ["0" * 64] * n, "actor_ref": [None] * n, "person_ref": ["p1"] * n}
    base.update(columns)
    return pd.DataFrame(base)


def test_landing_suite_rejects_a_mostly_quarantined_batch_only_when_it_is_large_enough():
    bad = ["quarantined"] * 11 + ["stored"] * 9
    outcome = validate_frame("landing_batch", "f.ndjson", batch(bad), landing_expectations("alpha", 20),
                             ["source_line"])
    assert [(f.column, f.unexpected_count) for f in outcome.errors] == [("outcome", 11)]
    small = ["quarantined"] * 3
    assert len(small) < MIN_RECORDS_FOR_SHARE
    assert not validate_frame("landing_batch", "f.ndjson", batch(small), landing_expectations("alpha", 3),
                              ["source_line"]).failures


def test_landing_suite_refuses_another_org_and_an_unpseudonymised_person():
    frame = batch(["stored"] * 3, org_id=["alpha", "beta", "alpha"],
                  person_ref=["p1", "p2", "x@example.org"])
    outcome = validate_frame("landing_batch", "f.ndjson", frame, landing_expectations("alpha", 3), ["source_line"])
    assert sorted((f.column, f.unexpected_count, f.sample_keys[0]) for f in outcome.errors) == [
        ("org_id", 1, "2"), ("person_ref", 1, "3")]


def test_validation_results_keep_only_the_most_recent_runs(tmp_path, monkeypatch):
    import orchestration.quality.results as results
    from orchestration.ingest.store import connect

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
