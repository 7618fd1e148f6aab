"""The dbt command the pipeline starts answers `--version` as dbt does,
without importing dbt; every other command is dbt's own (the dbt unit tests
and model builds run through it)."""

import re
import subprocess
import sys
from pathlib import Path

from orchestration.core.settings import dbt_executable

# how dagster-dbt reads the version (DbtCliResource: the first x.y.z of the output)
VERSION = re.compile(r"(\d+\.\d+\.\d+)")


def test_the_version_is_dbts_own():
    ours = subprocess.run([dbt_executable(), "--version"], capture_output=True, text=True, check=True).stdout
    dbts = subprocess.run([str(Path(sys.executable).parent / "dbt"), "--version"], capture_output=True, text=True,
                          check=True).stdout
    assert VERSION.search(ours).group(1) == VERSION.search(dbts).group(1)
    assert ours.startswith("Core:\n  - installed: 1.11.")


def test_other_commands_are_dbts():
    done = subprocess.run([dbt_executable(), "--help"], capture_output=True, text=True, check=True)
    assert "An ELT tool for managing your SQL transformations" in done.stdout
    assert Path(dbt_executable()).name == "coopmetrics-dbt"
