"""The dbt project's part of the code location: every model in one step,
and the pinned dbt it runs with."""

from dagster import Definitions
from dagster_dbt import DbtCliResource

from orchestration.core.settings import dbt_executable
from orchestration.transform.assets import dbt_models
from orchestration.transform.project import dbt_project


def transform_definitions() -> Definitions:
    return Definitions(
        assets=[dbt_models],
        resources={"dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())},
    )
