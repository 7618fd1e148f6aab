"""The whole pipeline in-process on real files, a real DuckDB file and real
dbt: exact counts, idempotent re-runs, and a failing blocking check that
stops everything downstream."""

from __future__ import annotations

import json

import duckdb
import pytest
import yaml

from orchestration.core.settings import DEFAULT_REGISTRY
from orchestration.extracts.manifest import verify_extract
from orchestration.pipeline_run import run_pipeline

pytestmark = pytest.mark.slow

REASONS = ["bad_timestamp", "conflicting_duplicate", "invalid_id", "invalid_payload", "malformed_record",
           "missing_field", "org_mismatch", "retraction_invalid", "unknown_event_type", "unknown_schema_version"]


def query(path, sql):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """One warehouse for the module: the tests run in order on it. The
    registry is the bundled one plus a feed that has never delivered (so the
    WARN freshness check fails, without blocking anything)."""
    root = tmp_path_factory.mktemp("e2e")
    path = root / "coopmetrics.duckdb"
    registry = yaml.safe_load(DEFAULT_REGISTRY.read_text())
    for feed in registry["feeds"]:
        feed["landing"] = str(DEFAULT_REGISTRY.parent / feed["landing"])
    registry["feeds"].append({"org_id": "silent-coop", "name": "Silent", "sector": "culture", "locality": "Bari",
                              "format": "ndjson", "landing": str(root / "silent" / "*.ndjson"), "demo": True,
                              "expected_every": "1d"})
    (root / "registry.yml").write_text(yaml.safe_dump(registry))
    mp = pytest.MonkeyPatch()
    mp.setenv("COOPMETRICS_WAREHOUSE", str(path))
    mp.setenv("COOPMETRICS_REGISTRY", str(root / "registry.yml"))
    mp.setenv("DAGSTER_HOME", str(root / "dagster_home"))
    mp.delenv("COOPMETRICS_PEPPER", raising=False)
    yield path
    mp.undo()


@pytest.fixture(scope="module")
def sample_run(warehouse):
    return run_pipeline()


def test_bundled_sample_end_to_end(sample_run, warehouse):
    assert sample_run.success, sample_run.checks_failed + sample_run.failed_steps
    ingest = sample_run.metadata["raw/events"]
    # The bundled sample (coopmetrics demo --orgs 6 --events 300 --seed 7) holds
    # 283 simulated valid events and 12 of institutional tables (demo/policy_tables.py), and in each of the 6
    # feeds one defect of each of the 10
    # quarantine reasons plus one identical re-delivery. The organisation of
    # spreadsheets (demo/spreadsheet_org.py) adds 25 events: 4 of its projects
    # register, 5 + 5 of its two members snapshots, 7 hours and 4 resources of
    # its activity workbook, whose hours "due" are quarantined.
    assert (ingest["records_read"], ingest["stored"], ingest["duplicates"], ingest["quarantined"]) == (387, 320, 6, 61)
    by_reason = dict(query(warehouse, "SELECT reason, count(*) FROM raw.quarantine GROUP BY reason"))
    assert by_reason == {reason: 6 for reason in REASONS} | {"invalid_payload": 7}
    assert query(warehouse, "SELECT sum(records_read) - sum(stored + duplicates + quarantined) "
                            "FROM raw.ingest_ledger") == [(0,)]
    assert "marts/mart_consortium_monthly" in sample_run.materialized
    # a WARN check fails and is reported; everything downstream is built all the same
    assert sorted(sample_run.checks_failed) == [
        "raw/events:feeds_fresh (WARN): silent-coop: no record ingested yet",
        "raw/events:snapshot_changes (WARN): sole-members: 1 key(s) disappeared, 0 change(s) ignored (e.g. a key of "
        "the members register is not in soci-2025-06-30.ods)"]
    assert {"extracts/regional-fund", "extracts/coop-verde"} <= set(sample_run.materialized)

    extract = warehouse.parent / "extracts" / "regional-fund"
    assert verify_extract(extract).ok
    manifest = json.loads((extract / "manifest.json").read_text())
    # the funder, from outside the consortium: the consortium's marts and every organisation's impact account
    consortium = ["mart_consortium_monthly", "mart_coalitions", "mart_org_spillovers", "dim_outcomes", "mart_impact",
                  "mart_impact_org_year", "mart_impact_sensitivity", "mart_impact_outcomes", "mart_consortium_health",
                  "mart_social_report"]
    assert [f["path"] for f in manifest["files"]] == [f"{m}/{m}.parquet" for m in consortium] + [
        "data_dictionary.json", "README.md", "report.html", "social_report.html"]
    # its social report sheet: the consortium's, consolidated, of the latest complete year, under its own k
    sheet = (extract / "social_report.html").read_text()
    latest = query(warehouse, "SELECT max(year(year)) FROM marts.mart_social_report WHERE year(year) < "
                              "(SELECT year(as_of) FROM marts.mart_build_info)")[0][0]
    assert f"<h1>Bilancio sociale {latest}</h1>" in sheet and "each person counted once" in sheet
    own = (warehouse.parent / "extracts" / "coop-verde" / "social_report.html").read_text()
    assert f"<h1>Bilancio sociale {latest}</h1>" in own and "coop-verde" in own
    # and the run's own sheets, one an organisation and one consolidated
    assert "report/social" in sample_run.materialized
    sheets = warehouse.parent / "social_report" / str(latest)
    assert sorted(p.stem for p in sheets.glob("*.html")) == sorted(
        [o for (o,) in query(warehouse, "SELECT org_id FROM raw.organisations")] + ["consortium"])
    for entry, mart in zip(manifest["files"], consortium, strict=False):
        assert entry["rows"] == query(warehouse, f"SELECT count(*) FROM marts.{mart}")[0][0]
    # the event store as partitioned Parquet, kept by every run
    assert "lake/events" in sample_run.materialized
    lake = warehouse.parent / "lake"
    assert query(warehouse, f"SELECT count(*), count(DISTINCT org_id) FROM read_parquet('{lake}/events/**/*.parquet', "
                            "hive_partitioning = true)") == [(320, 7)]
    assert query(warehouse, f"SELECT count(*) FROM read_parquet('{lake}/quarantine/**/*.parquet')") == [(61,)]



def test_a_run_with_nothing_new_rebuilds_only_what_moves_with_the_clock(sample_run, warehouse):
    # runs after the first test, on the same warehouse: nothing was delivered since
    as_of = query(warehouse, "SELECT as_of FROM marts.mart_build_info")
    settled = latest_build_run(warehouse)
    result = run_pipeline()
    assert result.success, result.failed_steps + result.checks_failed
    assert result.plan.startswith(f"nothing new since run {settled}: ")
    # the models that read the as-of instant to measure up to it, what reads them, and nothing else
    clock = {"intermediate/int_person_quarters", "marts/mart_build_info", "marts/mart_coalitions",
             "marts/mart_consortium_monthly", "marts/mart_boundary_spanners", "intermediate/int_quarters",
             "intermediate/int_years", "intermediate/int_social_report_people", "marts/mart_community_functions",
             "marts/mart_consortium_health", "marts/mart_social_report"}
    assert {k for k in result.materialized if k.startswith(("staging/", "intermediate/", "marts/"))} == clock
    assert query(warehouse, "SELECT as_of FROM marts.mart_build_info") > as_of
    # entered as a part of a build, current: the next run with nothing new may keep what it kept
    assert query(warehouse, "SELECT whole, is_current FROM builds.model_builds ORDER BY started_at DESC "
                            "LIMIT 2") == [(False, True), (True, True)]
    # their checks ran; the extracts and the report read them again, and still verify
    assert {"extracts/regional-fund", "extracts/coop-verde", "report/consortium"} <= set(result.materialized)
    assert result.checks_passed >= 15 and result.checks_failed == [
        f for f in sample_run.checks_failed if "feeds_fresh" in f]
    assert verify_extract(warehouse.parent / "extracts" / "regional-fund").ok


def latest_build_run(warehouse) -> str:
    """The run of the latest build of the models."""
    return query(warehouse, "SELECT run_id FROM builds.model_builds ORDER BY started_at DESC LIMIT 1")[0][0]


def test_rerun_adds_nothing_and_a_failing_blocking_check_stops_everything_downstream(sample_run, warehouse):
    # runs after the test above, on the same warehouse
    before = query(warehouse, "SELECT as_of FROM marts.mart_build_info")
    # A writer that bypassed ingest appends an event of an organisation the registry does not know.
    con = duckdb.connect(str(warehouse))
    con.execute("""
        INSERT INTO raw.events (org_id, event_id, event_type, schema_version, occurred_at, payload,
                                ingested_at, run_id, source_file, source_line, content_hash)
        VALUES ('rogue-org', 'rogue-1', 'member.left', 1, TIMESTAMP '2025-01-01 10:00:00',
                '{"person_ref": "p-1"}', now()::TIMESTAMP, 'manual', 'none', 1, repeat('0', 64))
    """)
    con.close()

    result = run_pipeline()

    # nothing new: all 13 files under sources/landing are unchanged and skipped without being read
    assert (result.metadata["raw/events"]["stored"], result.metadata["raw/events"]["files_skipped"]) == (0, 13)
    assert query(warehouse, "SELECT count(*) FROM raw.events WHERE run_id <> 'manual'") == [(320,)]
    assert query(warehouse, "SELECT count(*) FROM raw.quarantine") == [(61,)]
    # the rogue row fails the event-store suite, which blocks the marts and extracts
    failure, freshness = sorted(result.checks_failed)
    assert "raw/events:event_store_suite (ERROR)" in failure
    assert freshness.startswith("raw/events:feeds_fresh (WARN)")
    assert "raw.events.org_id" in failure and "rogue-org/rogue-1" in failure
    assert not [key for key in result.materialized if key.startswith(("marts/", "extracts/", "lake/"))]
    assert query(warehouse, "SELECT as_of FROM marts.mart_build_info") == before
