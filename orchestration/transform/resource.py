"""The dbt resource: dagster-dbt's, without two costs this project does not
need on every invocation.

- `dbt --version` in a subprocess (3.0 s measured here) to learn which dbt
  runs: ours is always the pinned dbt-core beside this Python
  (settings.dbt_executable), so its version is the installed package's.
- an in-process dbt adapter (6.3 s the first time in a process, mostly
  imports), which dagster-dbt uses only to fetch column metadata and row
  counts after a model is built; those fetchers are not used here (column
  docs come from the yml files, row counts from the marts themselves)."""

from functools import cached_property
from importlib.metadata import version as installed_version

from dagster_dbt import DbtCliResource
from packaging import version


class PinnedDbtCliResource(DbtCliResource):
    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):  # noqa: ANN001, ANN202 - dagster-dbt's signature
        return None
