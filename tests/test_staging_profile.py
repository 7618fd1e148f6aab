"""The staging suite on a profile: the rules fail on the profile exactly
where they fail on the rows, found by DuckDB in a real file and judged by
GX; the watermark moves only past a clean profile."""

from __future__ import annotations

import duckdb
import pytest

from expectations.profile import CHARACTERS, NULLS, per_character, profile_plan
from expectations.staging import staging_expectations
from expectations.validate import validate_frame
from orchestration.core.check_results import ensure_quality_schema
from orchestration.quality.staging_profile import validate_staging_profile

MODEL = "stg_events__contribution_logged"
COLUMNS = ["initiative_org_id", "initiative_id", "person_ref", "contributor_org_id", "kind", "amount", "unit"]
GOOD = ("alfa", "a1", "p-1", None, "time", 2.5, "hour")
BAD = {  # a row breaking one rule each; e<n> is its event_id
    "e2": ("alfa", "a 1!", "p-2", None, "time", 1.0, "hour"),  # characters outside the identifier class
    "e3": ("alfa", "x" * 129, "p-3", None, "time", 1.0, "hour"),  # the pattern's length range
    "e4": ("alfa", "a1", None, None, "time", 1.0, "hour"),  # a required field missing
    "e5": ("alfa", "a1", "p-5", None, "gift", 1.0, "hour"),  # outside the enum
    "e6": ("alfa", "a1", "p-6", None, "time", -5.0, "hour"),  # not above 0
    "e7": ("alfa", "a1", "p" * 321, None, "time", 1.0, "hour"),  # longer than maxLength
    "e8": ("alfa", "a1", "p-8", None, "time", 0.0, "hour"),  # exclusiveMinimum: 0 is not above 0
}


def test_patterns_of_one_character_class():
    assert per_character("^[A-Za-z0-9._:-]{1,128}$") == ("^[A-Za-z0-9._:-]$", 1, 128)
    assert per_character("^[^@＠﹫]*$") == ("^[^@＠﹫]$", 0, None)
    assert per_character("^[a-z]+@[a-z]+$") is None


def _store(path, rows):
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA IF NOT EXISTS staging")
    con.execute(f"CREATE OR REPLACE TABLE staging.{MODEL} (event_seq BIGINT, org_id VARCHAR, event_id VARCHAR, "
                + ", ".join(f"{c} {'DOUBLE' if c == 'amount' else 'VARCHAR'}" for c in COLUMNS) + ")")
    con.executemany(f"INSERT INTO staging.{MODEL} VALUES (?, ?, ?, {', '.join('?' * len(COLUMNS))})",
                    [(seq, "alfa", event_id, *values) for seq, (event_id, values) in enumerate(rows, start=1)])
    ensure_quality_schema(con)
    return con


def _failing(outcome):
    """(expectation, column of the table) of each failure, a profile column read as the rule it stands for."""
    found = set()
    for f in outcome.failures:
        if f.column.endswith(NULLS):
            found.add(("expect_column_values_to_not_be_null", f.column.removesuffix(NULLS)))
        else:
            found.add((f.expectation, f.column.removesuffix(CHARACTERS)))
    return found


def test_the_profile_fails_where_the_rows_fail(tmp_path):
    rows = [("e1", GOOD), *BAD.items(), ("e9", GOOD)]
    con = _store(tmp_path / "w.duckdb", rows)
    rules = staging_expectations(MODEL, set(COLUMNS))
    try:
        everything = con.execute(f"SELECT * FROM staging.{MODEL}").fetch_df()
        by_row = validate_frame("rows", MODEL, everything, rules, ["org_id", "event_id"])
        (profiled,) = validate_staging_profile(con, "staging_suite", MODEL, rules, "staging_suite:test")
        watermark = con.execute("SELECT count(*) FROM quality.watermarks").fetchall()[0][0]
    finally:
        con.close()
    assert _failing(profiled) == _failing(by_row) == {
        ("expect_column_values_to_match_regex", "initiative_id"),  # e2, e3
        ("expect_column_values_to_not_be_null", "person_ref"),  # e4 (person_ref__nulls between 0 and 0)
        ("expect_column_values_to_be_in_set", "kind"),  # e5
        ("expect_column_values_to_be_between", "amount"),  # e6, e8
        ("expect_column_value_lengths_to_be_between", "person_ref"),  # e7
    }
    assert profiled.rows == len(rows) and watermark == 0  # an ERROR: the watermark stays
    messages = {f.column: f.describe(f"staging.{MODEL}") for f in profiled.failures}
    # representatives are counted and named, with the first record holding each: of a range, the
    # extreme beyond it (-5; 0 is not the least value, and its row is not named)
    assert messages["amount"] == (f"staging.{MODEL}.amount: expect_column_values_to_be_between failed for "
                                  "1 distinct value(s) (-5.0); e.g. alfa/e6")
    assert messages["person_ref__nulls"].endswith("failed for 1 distinct value(s) (1); e.g. alfa/e4")
    characters = next(f for f in profiled.failures if f.column == "initiative_id__characters")
    assert sorted(characters.sample_values) == ["' '", "'!'"] and characters.sample_keys == ["alfa/e2", "alfa/e2"]
    whole = next(f for f in profiled.failures if f.column == "initiative_id")
    assert whole.sample_keys == ["alfa/e2", "alfa/e3"]  # 'a 1!' is the least value, the longest has 129


def test_a_clean_profile_moves_the_watermark_and_the_next_reads_only_what_is_new(tmp_path):
    con = _store(tmp_path / "w.duckdb", [("e1", GOOD), ("e2", GOOD)])
    rules = staging_expectations(MODEL, set(COLUMNS))
    try:
        (outcome,) = validate_staging_profile(con, "staging_suite", MODEL, rules, "staging_suite:test")
        assert not outcome.failures and outcome.rows == 2
        assert validate_staging_profile(con, "staging_suite", MODEL, rules, "staging_suite:test") == []
        con.execute(f"INSERT INTO staging.{MODEL} VALUES "
                    "(3, 'alfa', 'e3', 'alfa', 'a1', 'p', NULL, 'time', -1, 'hour')")
        (later,) = validate_staging_profile(con, "staging_suite", MODEL, rules, "staging_suite:test")
    finally:
        con.close()
    assert later.rows == 1 and _failing(later) == {("expect_column_values_to_be_between", "amount")}


def test_the_plan_reads_each_column_once_for_what_its_rules_need():
    plan = profile_plan(staging_expectations(MODEL, set(COLUMNS)))
    assert plan["kind"].distinct and plan["kind"].nulls and not plan["kind"].extremes
    assert plan["amount"].extremes and not plan["amount"].distinct
    assert plan["initiative_id"].characters and plan["initiative_id"].lengths and not plan["initiative_id"].distinct
    assert not plan["contributor_org_id"].nulls  # optional in the schema
    with pytest.raises(ValueError, match="has no profile form"):
        import great_expectations as gx

        profile_plan([gx.expectations.ExpectColumnMeanToBeBetween(column="amount", min_value=0)])
