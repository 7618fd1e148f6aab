"""The code location loads: the only test that catches a wrong resolution of
the Dagster/dbt family (STACK.md)."""

from dagster import AssetKey
from dagster_dbt import get_asset_key_for_model

from orchestration.definitions import defs
from orchestration.quality.event_store import event_store_suite
from orchestration.transform.assets import dbt_models

EVENTS = AssetKey(["raw", "events"])


def test_definitions_load_with_the_whole_graph():
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {"raw/events", "marts/mart_consortium_monthly", "extracts/regional-fund"} <= keys


def test_marts_are_downstream_of_the_ingest_asset():
    graph = defs.resolve_asset_graph()
    mart = get_asset_key_for_model([dbt_models], "mart_consortium_monthly")
    assert mart == AssetKey(["marts", "mart_consortium_monthly"])
    staging = get_asset_key_for_model([dbt_models], "stg_events__events")
    # the dbt source raw.events maps onto the ingest asset, not a dangling external asset
    assert EVENTS in graph.get(staging).parent_keys
    assert graph.get(EVENTS).is_materializable


def test_event_store_check_blocks_downstream():
    (spec,) = event_store_suite.check_specs
    assert spec.asset_key == EVENTS
    assert spec.blocking


def test_payload_docs_are_rendered_from_the_schemas():
    from orchestration.ingest.schemas import load_event_schemas
    from orchestration.transform.schema_docs import DOCS_FILE, render

    assert DOCS_FILE.read_text(encoding="utf-8") == render(load_event_schemas()), (
        "dbt payload docs are stale: run python -m orchestration.transform.schema_docs")
