"""Fault fixtures that break one stage each, run through Dagster: the check
of that stage fails with ERROR, names table, column, row count and keys, and
nothing downstream of it is built."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from dagster import AssetSelection, DagsterInstance, materialize

from orchestration.core.asset_keys import STORE_KEYS
from orchestration.core.settings import REGISTRY_ENV, WAREHOUSE_ENV
from orchestration.pipeline_run import run_pipeline
from tests.hand_checked import AS_OF
from tests.ingest_helpers import envelope
from tests.marts_helpers import rows

pytestmark = pytest.mark.slow


def reading(model: str) -> set[str]:
    """The models that read `model`, directly or through others, as asset keys (dbt's child map)."""
    from orchestration.transform.project import dbt_project

    manifest = json.loads(Path(dbt_project.manifest_path).read_text())
    nodes, pending, found = manifest["nodes"], [f"model.coopmetrics.{model}"], set()
    while pending:
        for child in manifest["child_map"].get(pending.pop(), []):
            if child in nodes and nodes[child]["resource_type"] == "model" and child not in found:
                found.add(child)
                pending.append(child)
    return {f"{nodes[key]['fqn'][1]}/{nodes[key]['name']}" for key in found}


def built(result, prefix: str) -> list[str]:
    return [key for key in result.materialized if key.startswith(prefix)]


# -- landing: a file damaged in transfer --------------------------------------------------------

@pytest.mark.faults  # two whole runs: make test-faults, beside the runs killed at each point
def test_a_corrupted_landing_file_keeps_its_valid_records_and_blocks_no_one(warehouse, registry, monkeypatch):
    """Each record is judged on its own: a file damaged in transfer stores its
    whole records and warns; a feed refused for want of a pepper fails alone;
    the other feeds and the marts go on."""
    monkeypatch.delenv("COOPMETRICS_PEPPER", raising=False)
    records = [json.dumps(envelope(f"e{n}", payload={"person_ref": f"p{n}", "role": "member"}))
               for n in range(1, 61)]
    # the first 20 records arrive whole, the other 40 cut in the middle of the line
    corrupted = "\n".join(records[:20] + [line[: len(line) // 2] for line in records[20:]]) + "\n"
    registry(
        "feeds:\n- {org_id: alpha, name: Alpha, sector: care, locality: Torino,\n"
        "   format: ndjson, landing: 'landing/*.ndjson', demo: true}\n"
        "- {org_id: beta, name: Beta, sector: care, locality: Bari, format: ndjson, landing: 'beta/*.ndjson',\n"
        "   demo: true, warn_quarantined_share: 0.9}\n"
        "- {org_id: real, name: Real, sector: care, locality: Bari, format: ndjson, landing: 'real/*.ndjson'}\n",
        {"landing/damaged.ndjson": corrupted,
         "beta/b.ndjson": json.dumps(envelope("b1", org_id="beta")) + "\n",
         "real/r.ndjson": json.dumps(envelope("r1", org_id="real")) + "\n"},
    )
    result = run_pipeline()

    assert result.success and not result.ok  # the run went on; it failed for one feed
    assert list(result.feeds_failed) == ["real"]
    assert "COOPMETRICS_PEPPER is not set" in result.feeds_failed["real"]
    landing = next(f for f in result.checks_failed if "landing_batch_suite" in f)
    assert landing.startswith("raw/events:landing_batch_suite (WARN)")
    # which file and lines, which rule, the value found, where (the first quarantined line)
    assert ("damaged.ndjson (lines 1-60).quarantined_share: expect_column_values_to_be_between failed for "
            "1 distinct value(s) (0.6667); e.g. 21") in landing
    assert any(f.startswith("raw/events:feeds_ingested (ERROR): real:") for f in result.checks_failed)
    # everything downstream was built, with the valid records of every feed that could be read
    assert len(built(result, "marts/")) >= 7
    assert rows(warehouse, "SELECT org_id, count(*) FROM raw.events GROUP BY 1 ORDER BY 1") == [
        ("alpha", 20), ("beta", 1)]
    assert rows(warehouse, "SELECT reason, count(*) FROM raw.quarantine GROUP BY ALL ORDER BY ALL") == [
        ("malformed_record", 40)]
    assert rows(warehouse, "SELECT records_read, stored, duplicates, quarantined FROM raw.ingest_ledger "
                           "ORDER BY source_file") == [(1, 1, 0, 0), (60, 20, 0, 40)]
    assert rows(warehouse, "SELECT check_name, status FROM quality.check_results WHERE stage = 'landing' "
                           "ORDER BY 1") == [("feeds_ingested", "failed_error"), ("landing_batch_suite", "failed_warn"),
                                            ("snapshot_changes", "passed")]
    # the GX Data Docs show the validation
    assert result.data_docs and Path(result.data_docs).name == "index.html"
    pages = list((Path(result.data_docs).parent / "validations" / "landing_batch" / "alpha").rglob("*.html"))
    assert len(pages) == 1 and "damaged.ndjson" in pages[0].name

    # the file is delivered again, whole: its 40 missing records are stored, nothing twice, nothing lost
    (Path(os.environ[REGISTRY_ENV]).parent / "landing" / "damaged.ndjson").write_text("\n".join(records) + "\n")
    replay = run_pipeline(asset_selection=list(STORE_KEYS))
    assert replay.success and replay.metadata["raw/events"]["stored"] == 40
    assert rows(warehouse, "SELECT sum(records_read), sum(stored), sum(duplicates), sum(quarantined) "
                           "FROM raw.ingest_ledger WHERE feed_org_id = 'alpha'") == [(120, 60, 20, 40)]


# -- staging and marts: a copy of the hand-checked warehouse, broken --------------------------------

@pytest.fixture
def broken_copy(marts, tmp_path, monkeypatch):
    """A copy of the hand-checked warehouse that a test breaks, then runs
    every asset downstream of the event store on."""
    copy = tmp_path / "broken" / "wh.duckdb"
    copy.parent.mkdir()
    shutil.copy(marts, copy)
    monkeypatch.setenv(WAREHOUSE_ENV, str(copy))

    def execute(sql: str) -> Path:
        con = duckdb.connect(str(copy))
        con.execute(sql)
        con.close()
        return copy

    return execute


def _downstream_of_the_store():
    from orchestration.definitions import build_definitions

    return [k for k in build_definitions().resolve_asset_graph().get_all_asset_keys() if k.path[0] != "raw"]


@pytest.mark.xdist_group("hand_checked")
def test_a_duplicated_key_forced_into_staging_fails_dbt_and_blocks_the_marts(broken_copy):
    # a writer that bypassed the store's key (the table rebuilt without it) appends a second 'alfa/a-e1'
    copy = broken_copy("""
        CREATE TABLE raw.events_unkeyed AS SELECT * FROM raw.events;
        DROP TABLE raw.events;
        ALTER TABLE raw.events_unkeyed RENAME TO events;
        INSERT INTO raw.events
        SELECT * REPLACE ((SELECT max(event_seq) + 1 FROM raw.events) AS event_seq)
        FROM raw.events WHERE event_seq = (SELECT min(event_seq) FROM raw.events);
    """)
    before = rows(copy, "SELECT as_of FROM marts.mart_build_info")
    result = run_pipeline(as_of=AS_OF, asset_selection=_downstream_of_the_store())

    assert not result.success and "dbt_models" in result.failed_steps
    failed = [f for f in result.checks_failed if "unique_combination" in f]
    assert failed and all("(ERROR)" in f for f in failed)
    assert any(f.startswith("staging/stg_events__events:unique_combination") for f in failed)
    # in the one `dbt build`, nothing that reads the store's events is built (a model of the registry's
    # catalogue alone may be), and no extract
    assert not set(built(result, "")) & reading("stg_events__events") and not built(result, "extracts/")
    assert {"marts/mart_shared_value", "intermediate/int_contributions_valued"} <= reading("stg_events__events")
    assert rows(copy, "SELECT as_of FROM marts.mart_build_info") == before


@pytest.mark.xdist_group("hand_checked")
def test_a_payload_breaking_its_schema_in_staging_fails_its_payload_rules(broken_copy):
    # appended around ingest: a contribution with a negative amount (the schema says at least 0.000001)
    copy = broken_copy("""
        INSERT INTO raw.events
        SELECT * REPLACE ((SELECT max(event_seq) + 1 FROM raw.events) AS event_seq, 'rogue-1' AS event_id,
                          json_merge_patch(payload, '{"amount": -5}') AS payload)
        FROM raw.events WHERE event_type = 'contribution.logged' AND schema_version = 2 LIMIT 1;
    """)
    org = rows(copy, "SELECT org_id FROM raw.events WHERE event_id = 'rogue-1'")[0][0]
    result = run_pipeline(as_of=AS_OF, asset_selection=_downstream_of_the_store())

    (failure,) = [f for f in result.checks_failed if ":payload_rules_" in f]
    assert failure.startswith("staging/stg_events__contribution_logged:payload_rules_stg_events__contribution_"
                              "logged_ (ERROR)")
    # the rule, how many records break it and the first of them, from the rows the test stored
    assert (f"staging.stg_events__contribution_logged.amount: 1 record(s) not at least 1e-06, the first "
            f"{org}/rogue-1") in failure
    assert rows(copy, "SELECT status, message FROM quality.check_results WHERE check_name LIKE 'payload_rules_%' "
                      "AND status <> 'passed'") == [("failed_error", failure.split(": ", 1)[1])]
    # the other typed models passed; dbt built none of the models that read it, and no extract was cut
    assert not set(built(result, "")) & reading("stg_events__contribution_logged")
    assert "marts/mart_shared_value" in reading("stg_events__contribution_logged") and not built(result, "extracts/")


@pytest.mark.xdist_group("hand_checked")
def test_marts_out_of_their_domain_or_no_longer_reconciling_publish_no_extract(broken_copy):
    from orchestration.definitions import build_definitions

    copy = broken_copy("""
        UPDATE marts.mart_boundary_spanners SET boundary_spanner_share = 1.25 WHERE org_id = 'alfa';
        UPDATE marts.mart_shared_value SET total_value_eur = total_value_eur + 0.50 WHERE initiative_id = 'a5';
    """)
    defs = build_definitions()
    graph = defs.resolve_asset_graph()
    marts = [k for k in graph.get_all_asset_keys() if k.path[0] == "marts"]
    extracts = [k for k in graph.get_all_asset_keys() if k.path[0] == "extracts"]
    checks = [key for key in graph.asset_check_keys
              if key.asset_key in marts and key.name in ("marts_suite", "shared_value_reconciles")]
    # the marts are not rebuilt (that would repair them): their checks, then the extracts
    result = materialize(
        [a for a in defs.assets] + list(defs.asset_checks), instance=DagsterInstance.ephemeral(),
        resources=defs.resources, raise_on_error=False,
        selection=AssetSelection.checks(*checks) | AssetSelection.assets(*extracts),
    )
    evaluations = {(e.asset_key.to_user_string(), e.check_name): e for e in result.get_asset_check_evaluations()}
    failed = sorted(key for key, e in evaluations.items() if not e.passed)
    assert failed == [("marts/mart_boundary_spanners", "marts_suite"),
                      ("marts/mart_shared_value", "shared_value_reconciles")]
    domain = evaluations[("marts/mart_boundary_spanners", "marts_suite")]
    assert domain.severity.value == "ERROR"
    assert domain.description.startswith("marts.mart_boundary_spanners.boundary_spanner_share: "
                                         "expect_column_values_to_be_between failed for ")
    assert "alfa/" in domain.description
    # 2717.50 by hand, plus the 0.50 tampered in
    assert "sums to 2718.00" in evaluations[("marts/mart_shared_value", "shared_value_reconciles")].description
    assert len(evaluations) == len(checks)  # every other mart passed its suite
    assert not list(result.get_asset_materialization_events())  # no extract published
    assert rows(copy, "SELECT status FROM quality.check_results WHERE check_name = 'marts_suite' "
                      "AND asset = 'marts/mart_boundary_spanners'")[-1] == ("failed_error",)
