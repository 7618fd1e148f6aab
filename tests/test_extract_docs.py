"""An extract describes itself, and what its README tells a partner to run
works as written, with nothing of the project: `sha256sum -c`, a few lines
of Python that check the signed manifest and find an edit or an added file,
and the reading examples. The partners' guide's reading examples too."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from orchestration.core.marts import mart_contracts
from orchestration.core.settings import PROJECT_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hand_checked")]


def python_blocks(markdown: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown, flags=re.S)


def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess:
    # -I: isolated, as a partner's own Python would be; the packages are the usual ones
    return subprocess.run([sys.executable, "-I", "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_the_extract_readme_examples_run_as_written(marts, tmp_path):
    extracts = tmp_path / "received"
    shutil.copytree(marts.parent / "extracts" / "alfa", extracts / "alfa")
    shutil.copy(marts.parent / "extracts" / "signing_key.pub.pem", extracts)
    readme = (extracts / "alfa" / "README.md").read_text()
    assert subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=extracts / "alfa").returncode == 0
    verify, read = python_blocks(readme)
    done = run_python(verify, extracts)
    assert done.returncode == 0, done.stderr
    done = run_python(read, extracts)
    assert done.returncode == 0, done.stderr
    assert "2025-01-01" in done.stdout and b"meaning" in pq.read_schema(
        extracts / "alfa" / "mart_coalitions" / "mart_coalitions.parquet").field("formed_at").metadata
    # an edited manifest, and a file added: both found by the same lines
    manifest = extracts / "alfa" / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"small_cell_threshold_k": 2', '"small_cell_threshold_k": 1'))
    assert "InvalidSignature" in run_python(verify, extracts).stderr
    shutil.copy(marts.parent / "extracts" / "alfa" / "manifest.json", manifest)
    (extracts / "alfa" / "extra.csv").write_text("x\n")
    assert "extra.csv" in run_python(verify, extracts).stderr


def test_an_extract_says_what_each_column_means(marts):
    folder = marts.parent / "extracts" / "alfa"
    dictionary = json.loads((folder / "data_dictionary.json").read_text())
    spanners = {e["column"]: e for e in dictionary["mart_boundary_spanners"]}
    assert spanners["people_active"]["suppression"] == "NULL when below k (a count of people)"
    assert spanners["boundary_spanner_share"]["suppression"].startswith("NULL whenever a count of people")
    assert spanners["quarter"]["key"] and spanners["org_id"]["key"] and not spanners["people_active"]["key"]
    value = {e["column"]: e for e in dictionary["mart_shared_value"]}["total_value_eur"]
    assert value["unit"] == "EUR, 2 decimals" and value["meaning"]
    # every column of every file is described, and timestamps carry their zone
    for entry in json.loads((folder / "manifest.json").read_text())["files"]:
        if entry["path"].endswith(".parquet"):
            schema = pq.read_schema(folder / entry["path"])
            assert all(f.metadata and f.metadata[b"meaning"] for f in schema), entry["path"]
            assert all(f.type.tz == "UTC" for f in schema if str(f.type).startswith("timestamp")), entry["path"]
    assert "| `people_active` |" in (folder / "README.md").read_text()


def test_every_column_of_an_extract_is_cited_by_its_metric_id(marts):
    folder = marts.parent / "extracts" / "alfa"
    dictionary = json.loads((folder / "data_dictionary.json").read_text())
    catalogue = {(m.name, c.name): c.metric_id for m in mart_contracts().values() for c in m.columns.values()}
    for mart, entries in dictionary.items():
        for entry in entries:
            expected = None if entry["column"] == "suppressed" else catalogue[(mart, entry["column"])]
            assert entry["metric_id"] == expected, (mart, entry["column"])
    assert {e["column"]: e["metric_id"] for e in dictionary["mart_social_report"]}["members_total"] == "CM-SR-007"
    readme = (folder / "README.md").read_text()
    assert "| `members_total` | CM-SR-007 |" in readme
    schema = pq.read_schema(folder / "mart_social_report" / "mart_social_report.parquet")
    assert schema.field("members_total").metadata[b"metric_id"] == b"CM-SR-007"
    # the catalogue in docs/metrics.md lists every id once, with its definition
    text = (PROJECT_ROOT / "docs" / "metrics.md").read_text()
    assert all(text.count(f"| `{metric_id}` |") == 1 for metric_id in catalogue.values())


def test_a_metric_id_is_of_the_catalogue_s_shape_and_never_shared(tmp_path, monkeypatch):
    from orchestration.core import marts as contracts

    yml = (contracts.MARTS_DIR / "mart_consortium_health.yml").read_text()
    for wrong, message in ((yml.replace("CM-CH-002", "CM-CH-001"), "metric_id CM-CH-001 is mart_consortium_health."),
                           (yml.replace("CM-CH-002", "CH-2"), "metric_id 'CH-2' is not CM-")):
        (tmp_path / "mart_consortium_health.yml").write_text(wrong)
        monkeypatch.setattr(contracts, "MARTS_DIR", tmp_path)
        contracts.mart_contracts.cache_clear()
        with pytest.raises(contracts.MartContractError, match=re.escape(message)):
            contracts.mart_contracts()
    contracts.mart_contracts.cache_clear()


def test_the_partners_guide_reading_examples_run(marts, tmp_path):
    shutil.copytree(marts.parent / "extracts" / "alfa", tmp_path / "extract")
    section = (PROJECT_ROOT / "docs" / "partners.md").read_text().split("Read it:", 1)[1]
    (code,) = python_blocks(section)[:1]
    done = run_python(code, tmp_path)
    assert done.returncode == 0, done.stderr


def test_the_warehouse_carries_the_dbt_descriptions(marts):
    from tests.marts_helpers import rows

    undescribed = rows(marts, "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'marts' "
                              "AND (comment IS NULL OR comment = '')")
    total = rows(marts, "SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'marts'")[0][0]
    assert total > 90 and undescribed == []
    assert rows(marts, "SELECT comment FROM duckdb_tables() WHERE schema_name = 'marts' "
                       "AND table_name = 'mart_coalitions'")[0][0].startswith("One row per coalition.")
