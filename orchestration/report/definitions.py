"""The consortium report, built after the marts."""

from dagster import Definitions

from orchestration.report.assets import build_report_asset, build_social_report_asset
from orchestration.transform.assets import dbt_models


def report_definitions() -> Definitions:
    return Definitions(assets=[build_report_asset(dbt_models), build_social_report_asset(dbt_models)])
