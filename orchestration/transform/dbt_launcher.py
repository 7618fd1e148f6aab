"""The dbt command the pipeline starts (`coopmetrics-dbt`): dbt's own command
line, but for `--version`. dagster-dbt asks `dbt --version` before every
invocation, to choose how it talks to dbt; dbt imports itself whole to answer
(2.6 s here, in every run, with or without anything new). The installed
dbt-core package's metadata gives the same version in a fraction of that."""

from __future__ import annotations

import sys
from importlib.metadata import version


def version_text() -> str:
    """What `dbt --version` says first, the line dagster-dbt reads its version from."""
    return f"Core:\n  - installed: {version('dbt-core')}"


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        print(version_text())
        return
    from dbt.cli.main import cli

    sys.exit(cli())
