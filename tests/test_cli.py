"""The command line as people use it: a bad as-of or feed is refused before
any work, a historical extract never rewinds the analysts' marts, query
output in three formats with the cut said out loud."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from orchestration.asof import AsOfError, check_as_of, parse_as_of
from orchestration.cli import main as cli
from tests.ingest_helpers import Harness, envelope, lines
from tests.marts_helpers import rows


@pytest.mark.parametrize(("value", "message"), [
    ("yesterday", "--as-of 'yesterday' is not an ISO 8601 instant"),
    ("2025-06-30T00:00:00", "has no time zone: add Z for UTC"),
    ("2025-06-30T00:00:00Z", "is in the past and nothing was ingested before it"),
])
def test_a_bad_as_of_is_refused_before_any_work(warehouse, value, message, capsys):
    assert cli(["run", "--as-of", value]) == 1
    assert message in capsys.readouterr().err
    assert not warehouse.exists()  # nothing was started


def test_an_unknown_feed_is_refused_before_any_work(warehouse, capsys):
    assert cli(["run", "--feeds", "coop-verde,no-such-org"]) == 1
    assert "unknown feed(s) no-such-org; registered: coop-verde, " in capsys.readouterr().err
    assert not warehouse.exists()


def test_an_as_of_is_normalised_to_utc_and_judged_against_the_store(tmp_path):
    assert parse_as_of("2025-06-30T02:00:00+02:00").dbt_value == "2025-06-30T00:00:00.000000Z"
    harness = Harness(tmp_path)
    harness.write("alpha/a.ndjson", lines(envelope("e1")))
    harness.ingest(now=datetime(2025, 6, 10))
    harness.write("alpha/b.ndjson", lines(envelope("r1", event_type="event.retracted",
                                                   payload={"event_id": "e1", "reason": "typo"})))
    harness.ingest(now=datetime(2025, 6, 20))
    with pytest.raises(AsOfError, match=r"before the first ingestion \(2025-06-10T00:00:00Z\)"):
        check_as_of(parse_as_of("2025-06-01T00:00:00Z"), harness.db)
    assert check_as_of(parse_as_of("2025-06-15T00:00:00Z"), harness.db) is None
    with pytest.raises(AsOfError, match="leaves no effective event"):
        check_as_of(parse_as_of("2025-06-25T00:00:00Z"), harness.db)
    # forced: built all the same, the reason shown
    assert "leaves no effective event" in check_as_of(parse_as_of("2025-06-25T00:00:00Z"), harness.db, force=True)


def test_query_output_as_a_table_csv_or_json_and_a_cut_said(tmp_path, monkeypatch, capsys):
    harness = Harness(tmp_path)
    harness.write("alpha/a.ndjson", lines(*(envelope(f"e{n}") for n in range(3))))
    harness.ingest()
    monkeypatch.setenv("COOPMETRICS_WAREHOUSE", str(harness.db))
    query = "select event_id, source_line from raw.events order by 2"
    assert cli(["sql", "--format", "csv", query]) == 0
    assert capsys.readouterr().out == "event_id,source_line\ne0,1\ne1,2\ne2,3\n"
    assert cli(["sql", "--format", "json", query]) == 0
    assert [json.loads(line) for line in capsys.readouterr().out.splitlines()] == [
        {"event_id": f"e{n}", "source_line": n + 1} for n in range(3)]
    assert cli(["sql", "--max-rows", "2", query]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines()[-1] == "(2 rows)"
    assert "2 of 3 rows shown; --max-rows 0 shows every row" in out.err


@pytest.mark.slow
@pytest.mark.replay  # rebuilds the past in a copy: make test-replay, beside the other rebuilds
@pytest.mark.xdist_group("hand_checked")
def test_a_historical_extract_is_cut_from_a_copy(marts, capsys):
    before = rows(marts, "SELECT * FROM marts.mart_build_info")
    # beta's log arrived on 15 June: known on 12 June, the consortium had alfa's and gamma's only
    assert cli(["extract", "--partner", "alfa", "--as-of", "2025-06-12T00:00:00Z"]) == 0
    folder = marts.parent / "as-of" / "2025-06-12T000000.000000Z" / "extracts" / "alfa"
    assert f"extract: {folder}" in capsys.readouterr().out
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["as_of"] == "2025-06-12T00:00:00.000000Z"
    assert rows(marts, "SELECT * FROM marts.mart_build_info") == before  # the analysts' marts were not rewound
    assert not list(folder.parent.parent.glob("*.duckdb*"))  # the copy is gone, its extract stays


@pytest.mark.parametrize(("typed", "hint"), [
    ("rn", "did you mean 'run'? "), ("verify", "did you mean 'verify-extract'? "), ("zzzzzz", "")])
def test_a_mistyped_command_names_the_nearest_one(typed, hint, capsys):
    assert cli([typed]) == 2
    assert capsys.readouterr().err.startswith(f"coopmetrics: unknown command '{typed}': {hint}(commands: run, demo,")
