"""The floor under a run with nothing new: one in-process Dagster run, on
the workspace's own SQLite instance, of one stock dagster-dbt step that
builds what such a run rebuilds (the models that move with the clock and
what reads them, their tests), started through the project's dbt launcher
with the bounds as --vars, and nothing else: no ingest, no suites, no
extracts, no report. Timed as a whole process by bench/bundled.py, beside
the stack's import.

Run as `python -m bench.clock_floor <warehouse> <dagster home> <target dir>`."""

import json
import sys
from pathlib import Path

from dagster import AssetExecutionContext, DagsterInstance, materialize
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.core.settings import DBT_PROJECT_DIR, dbt_executable
from orchestration.transform.builds import clock_models
from orchestration.transform.plan import BuildPlan, build_args
from orchestration.transform.project import dbt_project

MANIFEST = Path(dbt_project.manifest_path)


def clock_selection(manifest: Path) -> str:
    """dbt's selection of the clock's models and every model that reads one."""
    return " ".join(f"{name}+" for name in clock_models(manifest))


def floor_run(warehouse: Path, home: Path, target: Path) -> bool:
    @dbt_assets(manifest=MANIFEST, select=clock_selection(MANIFEST), name="clock_models")
    def clock(context: AssetExecutionContext, dbt: DbtCliResource):  # noqa: ANN202 - dagster-dbt's events
        plan = BuildPlan(warehouse=warehouse)  # the bounds do not matter to these models: the defaults
        yield from dbt.cli(build_args(plan), context=context, target_path=target).stream()

    resources = {"dbt": DbtCliResource(project_dir=str(DBT_PROJECT_DIR), dbt_executable=dbt_executable())}
    return materialize([clock], resources=resources, instance=DagsterInstance.from_config(str(home)),
                       raise_on_error=False).success


def main() -> None:
    warehouse, home, target = (Path(argument) for argument in sys.argv[1:4])
    print(json.dumps({"success": floor_run(warehouse, home, target)}))


if __name__ == "__main__":
    main()
