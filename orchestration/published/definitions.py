"""The readers' catalog, built after the marts and the lake."""

from dagster import Definitions

from orchestration.published.assets import build_published_asset
from orchestration.transform.assets import dbt_models


def published_definitions() -> Definitions:
    return Definitions(assets=[build_published_asset(dbt_models)])
