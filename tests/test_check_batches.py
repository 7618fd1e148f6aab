"""Checks at any size: the marts suite validates a mart's profile, whose
verdicts are those of every row, and every row only when a rule failed,
in bounded batches (a table larger than one batch in several, with the
same rules; a suite's expectations used to be handed to a second suite on
the second batch, which GX refuses); the event-store suite validates the
profile of what was appended."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from expectations.event_store import KEY_COLUMNS, event_store_expectations
from expectations.marts import mart_expectations, mart_keys
from expectations.validate import validate_frame
from orchestration.core.resources import Warehouse
from orchestration.quality.event_store import CHECK_NAME, validate_new_events
from orchestration.quality.table_suites import (
    BATCH_ROWS_ENV,
    MARTS_CHECK,
    bounded_tables,
    mart_profile_sql,
    validate_batches,
    validate_relation,
)
from tests.ingest_helpers import Harness, envelope, lines


def test_record_batches_are_regrouped_into_tables_of_the_configured_size():
    schema = pa.schema([("n", pa.int64())])
    batches = [pa.record_batch([pa.array(range(start, start + size))], schema=schema)
               for start, size in ((0, 2), (2, 5), (7, 1), (8, 4))]
    tables = list(bounded_tables(pa.RecordBatchReader.from_batches(schema, batches), 3))
    assert [t.column("n").to_pylist() for t in tables] == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]]


def test_a_table_suite_crosses_its_batch_size(monkeypatch: pytest.MonkeyPatch):
    import great_expectations as gx

    monkeypatch.setenv(BATCH_ROWS_ENV, "5")
    reader = duckdb.sql("SELECT range AS n FROM range(23)").to_arrow_reader(1000)
    rule = gx.expectations.ExpectColumnValuesToBeBetween(column="n", min_value=0, max_value=20)
    outcomes = validate_batches(reader, "numbers", "numbers", [rule], ["n"])
    assert [o.rows for o in outcomes] == [5, 5, 5, 5, 3]
    assert [len(o.errors) + len(o.warnings) for o in outcomes] == [0, 0, 0, 0, 1]  # 21 and 22 in the last


@pytest.fixture
def stored(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Harness:
    harness = Harness(tmp_path)
    harness.write("alpha/a.ndjson", lines(*[envelope(f"e{n}", payload={"person_ref": f"p{n}", "role": "member"})
                                           for n in range(23)]))
    harness.ingest()
    monkeypatch.setattr("orchestration.quality.event_store.load_registry", lambda: harness.registry)
    return harness


def _failed_rules(outcomes) -> set[tuple[str, str]]:
    return {(f.expectation, f.column) for o in outcomes for f in o.errors + o.warnings}


def test_the_event_store_suite_moves_its_watermark_once_the_profile_passed(stored):
    outcomes, appended, high = validate_new_events(Warehouse(path=str(stored.db)))
    assert (appended, high, _failed_rules(outcomes)) == (23, 23, set())
    assert outcomes[0].rows == 1  # the first row: also the least source line and (one run) the latest instant
    assert validate_new_events(Warehouse(path=str(stored.db))) == ([], 0, None)


# rows a writer that bypassed ingest could append, each breaking one rule of the suite
CORRUPTIONS = {
    "a repeated key": "SELECT * REPLACE (nextval('raw.event_seq') AS event_seq) FROM raw.events WHERE event_id = 'e3'",
    "a repeated event_seq": "SELECT * REPLACE ('e-new' AS event_id) FROM raw.events WHERE event_id = 'e5'",
    "an unknown organisation": "SELECT * REPLACE (nextval('raw.event_seq') AS event_seq, 'rogue' AS org_id) "
                               "FROM raw.events WHERE event_id = 'e7'",
    "no source line": "SELECT * REPLACE (nextval('raw.event_seq') AS event_seq, 'e-x' AS event_id, 0 AS source_line) "
                      "FROM raw.events WHERE event_id = 'e9'",
    "an instant ahead": "SELECT * REPLACE (nextval('raw.event_seq') AS event_seq, 'e-y' AS event_id, "
                        "TIMESTAMP '2999-01-01' AS ingested_at) FROM raw.events WHERE event_id = 'e11'",
}


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
def test_the_profile_fails_the_rules_every_row_fails(stored, corruption):
    con = duckdb.connect(str(stored.db))
    con.execute("INSERT INTO raw.events " + CORRUPTIONS[corruption])
    # the reference: great_expectations itself on every row appended
    every_row = con.execute("SELECT event_seq, org_id, event_id, source_line, ingested_at FROM raw.events "
                            "ORDER BY event_seq").fetch_df()
    con.close()
    expected = _failed_rules([validate_frame(CHECK_NAME, "raw.events", every_row,
                                             event_store_expectations(stored.registry.org_ids), KEY_COLUMNS)])
    assert expected  # the corruption breaks a rule

    outcomes, appended, high = validate_new_events(Warehouse(path=str(stored.db)))

    assert _failed_rules(outcomes) == expected
    assert appended == 24 and outcomes[0].rows < 8
    # an ERROR keeps the watermark: the same events are judged again next time
    assert validate_new_events(Warehouse(path=str(stored.db)))[1] == 24


# a mart's rows a wrong model could build, each breaking one rule of its suite (or none)
MART_CORRUPTIONS = {
    "none": "SELECT 1",
    "a negative value": "UPDATE marts.mart_shared_value SET own_value_eur = -1.5 WHERE n = 17",
    "a ratio above one": "UPDATE marts.mart_shared_value SET coproduction_ratio = 1.25 WHERE n = 250",
    "a score off the scale": "UPDATE marts.mart_shared_value SET feedback_score_avg = 0.5 WHERE n = 499",
    "a total below a part": "UPDATE marts.mart_shared_value SET total_value_eur = coproduced_value_eur - 1 "
                            "WHERE n IN (3, 301)",
    "a total missing": "UPDATE marts.mart_shared_value SET total_value_eur = NULL WHERE n = 42",
}


@pytest.fixture
def shared_value(warehouse):
    """A mart_shared_value of 500 rows within its domains (a few values missing, which no rule judges)."""
    warehouse.parent.mkdir(parents=True)
    con = duckdb.connect(str(warehouse))
    con.execute("CREATE SCHEMA marts")
    con.execute("""
        CREATE TABLE marts.mart_shared_value AS
        SELECT range AS n, 'org-' || (range % 7) AS org_id, 'i-' || range AS initiative_id, DATE '2025-01-01' AS month,
               (range % 13) * 1.5 AS own_value_eur, (range % 11) * 2.0 AS coproduced_value_eur,
               (range % 5) * 1.0 AS resources_eur, (range % 13) * 1.5 + (range % 11) * 2.0 AS total_value_eur,
               CASE WHEN range % 9 = 0 THEN NULL ELSE (range % 10) / 10 END AS coproduction_ratio,
               range % 4 AS contributing_orgs, range % 6 AS contributors, range % 3 AS feedback_count,
               CASE WHEN range % 3 = 0 THEN NULL ELSE 1 + (range % 5) / 2 END AS feedback_score_avg
        FROM range(500)
    """)
    con.close()
    return warehouse


@pytest.mark.parametrize("corruption", sorted(MART_CORRUPTIONS))
def test_a_marts_profile_fails_the_rules_every_row_fails(shared_value, corruption, monkeypatch):
    monkeypatch.setenv(BATCH_ROWS_ENV, "300")  # every row is read in two batches
    rules, keys = mart_expectations("mart_shared_value"), mart_keys()["mart_shared_value"]
    con = duckdb.connect(str(shared_value))
    con.execute(MART_CORRUPTIONS[corruption]).fetchall()
    every_row = con.sql("SELECT * FROM marts.mart_shared_value").df()
    profile = con.sql(mart_profile_sql("mart_shared_value", rules)).df()
    expected = [validate_frame(MARTS_CHECK, "marts.mart_shared_value", every_row, rules, keys)]
    assert bool(_failed_rules(expected)) == (corruption != "none")
    assert _failed_rules([validate_frame(MARTS_CHECK, "profile", profile, rules, keys)]) == _failed_rules(expected)
    assert len(profile) <= 2 * len(rules)
    # the check: the profile alone when it passes; else every row, for the exact counts
    outcomes = validate_relation(con, "marts", "mart_shared_value")
    con.close()
    assert [o.rows for o in outcomes] == ([len(profile)] if corruption == "none" else [300, 200])
    assert _counts(outcomes) == _counts(expected)


def _counts(outcomes) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for failure in (f for o in outcomes for f in o.failures):
        rule = (failure.expectation, failure.column)
        counts[rule] = counts.get(rule, 0) + failure.unexpected_count
    return counts
