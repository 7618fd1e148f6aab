"""The dbt project, kept import-light: `dagster-dbt project prepare-and-package
--file orchestration/transform/project.py` imports this file alone to build
the manifest."""

from dagster_dbt import DbtProject

from orchestration.core.settings import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()
