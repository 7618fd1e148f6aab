"""Readers never hold a run up: a notebook opens the published catalog
read-only, exactly as the README shows, keeps it open across a run, and the
run succeeds; the open connection goes on seeing its own generation whole,
and a new one sees the new run's data."""

from __future__ import annotations

import shutil

import duckdb
import pytest
import yaml

from orchestration.core.settings import DEFAULT_REGISTRY, PROJECT_ROOT, published_catalog
from orchestration.pipeline_run import run_pipeline
from tests.ingest_helpers import envelope, lines

pytestmark = [pytest.mark.slow, pytest.mark.replay]
README = PROJECT_ROOT / "README.md"


def test_a_reader_holding_the_catalog_open_never_fails_a_run(tmp_path, monkeypatch):
    registry = yaml.safe_load(DEFAULT_REGISTRY.read_text())
    registry["feeds"] = [f for f in registry["feeds"] if f["org_id"] in ("coop-verde", "officina-digitale")]
    for feed in registry["feeds"]:
        source = DEFAULT_REGISTRY.parent / feed["landing"]
        target = tmp_path / "landing" / feed["org_id"]
        target.mkdir(parents=True)
        for path in source.parent.glob(source.name):
            shutil.copy(path, target / path.name)
        feed["landing"] = str(target / source.name)
    registry["partners"] = []
    (tmp_path / "registry.yml").write_text(yaml.safe_dump(registry))
    warehouse = tmp_path / "wh" / "coopmetrics.duckdb"
    monkeypatch.setenv("COOPMETRICS_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("COOPMETRICS_REGISTRY", str(tmp_path / "registry.yml"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))

    assert run_pipeline().success
    catalog = published_catalog(warehouse)
    assert "duckdb.connect('warehouse/published/coopmetrics.duckdb', read_only=True)" in README.read_text()
    notebook = duckdb.connect(str(catalog), read_only=True)  # the README's way, held open
    before = notebook.sql("SELECT count(*) FROM raw.events").fetchall()
    months = notebook.sql("SELECT count(*), sum(total_value_eur) FROM marts.mart_consortium_monthly").fetchall()
    assert before[0][0] > 0 and months[0][0] > 0

    new = [envelope(f"late-{n}", org_id="coop-verde", occurred_at="2025-06-01T10:00:00Z",
                    payload={"person_ref": f"new-{n}", "role": "member"}) for n in range(5)]
    (tmp_path / "landing" / "coop-verde" / "late.ndjson").write_text(lines(*new))
    second = run_pipeline()
    assert second.success, second.failed_steps + second.checks_failed
    assert "published/catalog" in second.materialized

    # the open connection reads its generation, whole; a new one reads the new run
    assert notebook.sql("SELECT count(*) FROM raw.events").fetchall() == before
    assert notebook.sql("SELECT count(*), sum(total_value_eur) FROM marts.mart_consortium_monthly").fetchall() == months
    notebook.close()
    fresh = duckdb.connect(str(catalog), read_only=True)
    try:
        assert fresh.sql("SELECT count(*) FROM raw.events").fetchall() == [(before[0][0] + 5,)]
        tables = {name for (name,) in fresh.sql("SELECT table_name FROM information_schema.tables "
                                                "WHERE table_schema = 'marts'").fetchall()}
        writer = duckdb.connect(str(warehouse), read_only=True)
        assert tables == {name for (name,) in writer.sql("SELECT table_name FROM information_schema.tables "
                                                         "WHERE table_schema = 'marts'").fetchall()}
        writer.close()
    finally:
        fresh.close()
    assert len(list((catalog.parent / "generations").iterdir())) == 2
