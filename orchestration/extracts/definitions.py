"""The partners' extracts (one asset a partner of the registry), each with
its suite before publication."""

from dagster import Definitions

from orchestration.extracts.assets import build_extract_assets
from orchestration.transform.assets import dbt_models


def extracts_definitions() -> Definitions:
    return Definitions(assets=build_extract_assets(dbt_models))
