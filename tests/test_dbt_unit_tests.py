"""Every dbt unit test (the models' logic on inputs worked out by hand in
their yml) passes on real dbt and DuckDB. The pipeline's own builds leave
them out: they test the code, not the data, and the code is what this
suite runs on; the Spark parity build runs them on Spark too."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from orchestration.core.settings import DBT_PROJECT_DIR, WAREHOUSE_ENV, dbt_executable
from orchestration.transform.project import dbt_project

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hand_checked")]


def test_every_dbt_unit_test_passes(marts):
    target = marts.parent / "dbt_unit_target"
    done = subprocess.run([dbt_executable(), "test", "--select", "test_type:unit", "--target-path", str(target)],
                          cwd=DBT_PROJECT_DIR, env={**os.environ, WAREHOUSE_ENV: str(marts)},
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    results = json.loads((target / "run_results.json").read_text())["results"]
    declared = json.loads(dbt_project.manifest_path.read_text())["unit_tests"]
    assert {r["unique_id"] for r in results} == set(declared) and len(declared) >= 13
    assert {r["status"] for r in results} == {"pass"}
