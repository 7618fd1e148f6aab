"""The impact account end to end, on a real DuckDB file and real dbt: the
catalogue read strictly from the registry (errors name the file and line
before any work), outcome reports valued the SROI way with figures worked
out by hand, the rejections, the as-of watermark, and a change to the
catalogue alone rebuilding only the models that read it."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from orchestration.core.registry import RegistryError, load_registry
from tests.ingest_helpers import NDJSON_FEED, Harness, envelope, lines
from tests.marts_helpers import dbt_build, rows

# A catalogue whose arithmetic is short: 1000 * 0.8 * 0.5 * 0.5 = 200 in the first year, 100 and 50 after
# (drop-off 0.5), discounted at 0.25: 200/1.25 + 100/1.25^2 + 50/1.25^3 = 160 + 64 + 25.6 = 249.6 a unit
IMPACT = {"discount_rate": 0.25, "outcomes": [
    {"code": "job_kept", "label": "Person in work", "unit": "person", "proxy_eur": 1000,
     "proxy_source": "a test's own figure", "price_year": 2024, "deadweight": 0.2, "displacement": 0.5,
     "attribution": 0.5, "drop_off": 0.5, "duration_years": 3}]}
REGISTRY = {"feeds": [NDJSON_FEED], "impact": IMPACT}


def _outcome(event_id: str, quantity: float, code: str = "job_kept", start: str = "2025-01-01",
             end: str = "2025-06-30", initiative: str = "i1") -> dict:
    return envelope(event_id, event_type="outcome.reported", occurred_at="2025-07-02T09:00:00Z", payload={
        "initiative": {"org_id": "alpha", "initiative_id": initiative}, "outcome_code": code,
        "stakeholder_type": "beneficiary", "quantity": quantity, "period_start": start, "period_end": end})


def _load(tmp_path: Path, impact: object):
    path = tmp_path / "registry.yml"
    path.write_text(yaml.safe_dump({"feeds": [NDJSON_FEED], "impact": impact}, sort_keys=False))
    return load_registry(path)


def _entry(**change: object) -> dict:
    return {**IMPACT["outcomes"][0], **change}


@pytest.mark.parametrize(("impact", "message"), [
    ({"outcomes": [_entry(deadweight=1.0)]},
     r"registry.yml: line 17: impact.outcomes\[0\].deadweight must be a fraction in \[0, 1\), got 1.0$"),
    ({"outcomes": [_entry(attribution=-0.1)]}, r"line 19: impact.outcomes\[0\].attribution must be a fraction"),
    ({"outcomes": [_entry(duration_years=31)]},
     r"line 21: impact.outcomes\[0\].duration_years must be a whole number from 1 to 30, got 31$"),
    ({"outcomes": [_entry(duration_years=0)]}, r"duration_years must be a whole number from 1 to 30, got 0$"),
    ({"outcomes": [_entry(proxy_eur=0)]}, r"line 14: impact.outcomes\[0\].proxy_eur must be above 0 .*got 0$"),
    ({"outcomes": [_entry(proxy_eur=-5)]}, r"proxy_eur must be above 0 .*got -5$"),
    ({"outcomes": [_entry(deflator=0.1)]}, r"impact.outcomes\[0\]: unknown key\(s\) deflator; allowed: .* "
                                           r"\(.*registry.yml: line 22\)$"),
    ({"outcomes": [_entry(), _entry()]}, r"line 10: impact.outcomes declare code\(s\) twice: job_kept$"),
    ({"discount_rate": 1.5, "outcomes": []}, r"line 10: impact.discount_rate must be a fraction in \[0, 1\), "
                                             r"got 1.5$"),
    ({"rate": 0.03}, r"impact: unknown key\(s\) rate; allowed: discount_rate, outcomes"),
    ({"outcomes": [{"code": "x"}]}, r"line 11: impact.outcomes\[0\] misses attribution, deadweight, .*unit$"),
])
def test_the_catalogue_is_read_strictly_naming_file_and_line(tmp_path, impact, message):
    with pytest.raises(RegistryError, match=message):
        _load(tmp_path, impact)


def test_the_digest_follows_the_catalogues_values_not_its_text(tmp_path):
    first = _load(tmp_path, IMPACT).impact
    reordered = {"outcomes": [dict(reversed(list(IMPACT["outcomes"][0].items())))], "discount_rate": 0.25}
    assert _load(tmp_path, reordered).impact.digest == first.digest
    assert _load(tmp_path, {**IMPACT, "discount_rate": 0.03}).impact.digest != first.digest
    assert _load(tmp_path, None).impact.outcomes == () and _load(tmp_path, None).impact.discount_rate == 0.035


def test_outcomes_are_valued_rejected_and_known_as_of_their_ingestion(tmp_path):
    harness = Harness(tmp_path, feeds=REGISTRY["feeds"])
    harness.registry = load_registry(_registry_file(tmp_path))
    launched = envelope("l1", event_type="initiative.launched", occurred_at="2025-01-02T09:00:00Z", payload={
        "initiative_id": "i1", "title": "Placements", "sector": "social_care", "locality": "Bologna"})
    funded = envelope("f1", event_type="resource.committed", occurred_at="2025-02-01T09:00:00Z", payload={
        "initiative_id": "i1", "source_type": "public_grant", "amount_eur": 1024})
    harness.write("alpha/a.ndjson", lines(
        launched, funded,
        _outcome("o1", 2), _outcome("o2", 1.5),  # two reports of i1 in 2025: 3.5 units
        _outcome("o3", 1, code="wellbeing"),  # not in the catalogue
        _outcome("o4", 1, start="2025-06-30", end="2025-01-01"),  # ends before it starts
        _outcome("o5", 1, initiative="nowhere", code="wellbeing"),  # no such initiative: the first rule
    ))
    stored = sum(o.stored for o in harness.ingest(now=datetime(2025, 7, 3)))
    harness.write("alpha/b.ndjson", lines(_outcome("o6", 4)))  # known from 1 August
    stored += sum(o.stored for o in harness.ingest(now=datetime(2025, 8, 1)))
    assert stored == 8
    dbt_build(harness.db, as_of="2025-07-15T00:00:00Z")
    # 3.5 units: gross 3500, impact 700, present value 3.5 * 249.6 = 873.60 against inputs of 1024
    assert rows(harness.db, "SELECT initiative_id, year, outcome_reports, gross_value_eur, impact_value_eur, "
                            "present_value_eur, inputs_eur, net_present_value_eur, sroi_ratio, payback_months "
                            "FROM marts.mart_impact") == [
        ("i1", datetime(2025, 1, 1).date(), 2, 3500, 700, Decimal("873.60"), 1024, Decimal("-150.40"),
         pytest.approx(873.6 / 1024), pytest.approx(1024 / (700 / 12)))]
    assert sorted(rows(harness.db, "SELECT event_id, reason FROM marts.rejected_facts "
                                   "WHERE event_type = 'outcome.reported'")) == [
        ("o3", "outcome_unknown"), ("o4", "period_invalid"), ("o5", "initiative_unknown")]
    # coverage 1024 / 1024; break-even 1024 / 873.6; 14 sensitivity rows, proxy at 125%: 873.6 * 1.25 = 1092
    assert rows(harness.db, "SELECT initiatives_evaluated, coverage, break_even_proxy_factor "
                            "FROM marts.mart_impact_org_year") == [(1, 1.0, pytest.approx(1024 / 873.6))]
    assert rows(harness.db, "SELECT count(*), sum(present_value_eur) FILTER (WHERE parameter = 'proxy' "
                            "AND scenario = 'high') FROM marts.mart_impact_sensitivity") == [(14, 1092)]
    dbt_build(harness.db, as_of="2025-08-02T00:00:00Z")  # o6 is known now: 7.5 units, 7.5 * 249.6 = 1872
    assert rows(harness.db, "SELECT outcome_reports, present_value_eur FROM marts.mart_impact") == [(3, 1872)]
    assert rows(harness.db, "SELECT catalogue_digest, discount_rate FROM marts.mart_build_info") == [
        (harness.registry.impact.digest, 0.25)]
    page = _report(harness.db, tmp_path / "report.html")
    # the ratio 1872 / 1024 = 1.83 with its coverage (100%), then the catalogue entry it rests on
    section = page[page.index("<h2>Impact: present value against inputs</h2>"):]
    assert "<td>1.83</td><td>100%</td>" in section and "<svg" in section
    assert section.index("<td>1.83</td>") < section.index("a test&#x27;s own figure") < section.index(
        "<h2>Impact: how far each assumption moves the ratio</h2>")
    assert "discounted at 25.0% a year" in section
    tornado = section[section.index("<h2>Impact: how far each assumption moves the ratio</h2>"):]
    assert "<svg" in tornado and "a test&#x27;s own figure" in tornado  # its assumptions under it too


def _report(db: Path, path: Path) -> str:
    from orchestration.core.warehouse import connect
    from orchestration.report.build import consortium_report

    con = connect(db, read_only=True)
    try:
        return consortium_report(con, path).read_text()
    finally:
        con.close()


def _registry_file(tmp_path: Path) -> Path:
    path = tmp_path / "registry.yml"
    path.write_text(yaml.safe_dump(REGISTRY, sort_keys=False))
    return path


@pytest.mark.slow
@pytest.mark.replay
def test_a_change_to_the_catalogue_alone_rebuilds_only_what_reads_it(tmp_path, monkeypatch):
    from orchestration.pipeline_run import run_pipeline
    from orchestration.transform.builds import catalogue_models, clock_models
    from orchestration.transform.project import dbt_project

    registry = _registry_file(tmp_path)
    (tmp_path / "alpha").mkdir()
    (tmp_path / "alpha" / "a.ndjson").write_text(lines(
        envelope("l1", event_type="initiative.launched", occurred_at="2025-01-02T09:00:00Z", payload={
            "initiative_id": "i1", "title": "Placements", "sector": "social_care", "locality": "Bologna"}),
        envelope("f1", event_type="resource.committed", occurred_at="2025-02-01T09:00:00Z", payload={
            "initiative_id": "i1", "source_type": "public_grant", "amount_eur": 1024}),
        _outcome("o1", 2)))
    monkeypatch.setenv("COOPMETRICS_REGISTRY", str(registry))
    monkeypatch.setenv("COOPMETRICS_WAREHOUSE", str(tmp_path / "wh" / "coopmetrics.duckdb"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    first = run_pipeline()
    assert first.ok, first.failed_steps + first.checks_failed
    db = tmp_path / "wh" / "coopmetrics.duckdb"
    assert rows(db, "SELECT present_value_eur FROM marts.mart_impact") == [(Decimal("499.20"),)]
    # the proxy doubles: every present value doubles, and only what reads the catalogue is built again
    document = yaml.safe_load(registry.read_text())
    document["impact"]["outcomes"][0]["proxy_eur"] = 2000
    registry.write_text(yaml.safe_dump(document, sort_keys=False))
    second = run_pipeline()
    assert second.ok, second.failed_steps + second.checks_failed
    assert second.plan.startswith("only the impact catalogue changed since run")
    assert rows(db, "SELECT present_value_eur FROM marts.mart_impact") == [(Decimal("998.40"),)]
    assert rows(db, "SELECT catalogue_digest FROM marts.mart_build_info") == [
        (load_registry(registry).impact.digest,)]
    third = run_pipeline()  # the partial build left the marts current: nothing new now
    assert third.plan.startswith("nothing new since run"), third.plan
    # the catalogue's run built what a run with nothing new builds (what moves with the clock), and the
    # models that read the catalogue: no more
    layers = ("staging", "intermediate", "marts")
    rebuilt = [{key.split("/")[1] for key in run.materialized if key.split("/")[0] in layers}
               for run in (second, third)]
    reads_catalogue = set(catalogue_models(dbt_project.manifest_path))
    assert rebuilt[0] == rebuilt[1] | reads_catalogue
    assert {"mart_impact", "mart_impact_org_year", "mart_impact_sensitivity", "mart_impact_outcomes",
            "dim_outcomes", "rejected_facts", "mart_build_info"} <= reads_catalogue
    assert not rebuilt[0] & {"mart_shared_value", "mart_spillovers", "int_initiative_months", "int_initiatives"}
    assert set(clock_models(dbt_project.manifest_path)) <= rebuilt[1]


def test_an_organisation_receives_its_own_impact_rows_a_funder_every_organisations(tmp_path):
    from orchestration.core.partners import Partner
    from orchestration.core.warehouse import connect
    from orchestration.extracts.manifest import verify_extract
    from orchestration.extracts.publish import write_extract
    from orchestration.extracts.signing import PUBLIC_KEY_FILE, public_pem, signing_key
    from tests.ingest_helpers import PARQUET_FEED

    other = {**NDJSON_FEED, "org_id": "delta", "name": "Delta", "landing": "delta/*.ndjson"}
    path = tmp_path / "registry.yml"
    path.write_text(yaml.safe_dump({"feeds": [NDJSON_FEED, other, PARQUET_FEED], "impact": IMPACT}))
    harness = Harness(tmp_path)
    harness.registry = load_registry(path)
    for org in ("alpha", "delta"):
        launched = envelope(f"{org}-l", org_id=org, event_type="initiative.launched",
                            occurred_at="2025-01-02T09:00:00Z", payload={
                                "initiative_id": "i1", "title": "Placements", "sector": "social_care",
                                "locality": "Bologna"})
        report = {**_outcome(f"{org}-o", 1), "org_id": org}
        report["payload"]["initiative"]["org_id"] = org
        harness.write(f"{org}/a.ndjson", lines(launched, report))
    assert sum(o.stored for o in harness.ingest(now=datetime(2025, 7, 3))) == 4
    dbt_build(harness.db, as_of="2025-07-15T00:00:00Z")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / PUBLIC_KEY_FILE).write_bytes(public_pem(signing_key()[0]))  # as publication puts it there
    con = connect(harness.db, read_only=True)
    try:
        for partner, expected in ((Partner("alpha", "organisation", "alpha", 5), {"alpha"}),
                                  (Partner("fund", "outside", None, 5), {"alpha", "delta"})):
            folder = write_extract(con, partner, tmp_path / "out" / partner.name)
            for mart in ("mart_impact", "mart_impact_org_year", "mart_impact_sensitivity", "mart_impact_outcomes"):
                table = pq.read_table(folder / mart / f"{mart}.parquet")
                assert set(table.column("org_id").to_pylist()) == expected, (partner.name, mart)
            catalogue = pq.read_table(folder / "dim_outcomes" / "dim_outcomes.parquet")
            assert catalogue.column("outcome_code").to_pylist() == ["job_kept"]
            dictionary = json.loads((folder / "data_dictionary.json").read_text())
            units = {e["column"]: e["unit"] for e in dictionary["mart_impact"]}
            assert (units["present_value_eur"], units["payback_months"], units["sroi_ratio"], units["year"]) == (
                "EUR, 2 decimals", "months", "ratio: EUR of present value per EUR of inputs",
                "date: 1 January of the year, UTC")
            assert "| `payback_months` |" in (folder / "README.md").read_text()
            verification = verify_extract(folder)
            assert verification.ok, verification.problems
    finally:
        con.close()
