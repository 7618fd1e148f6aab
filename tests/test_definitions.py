"""The code location loads: the only test that catches a wrong resolution of
the Dagster/dbt family (STACK.md)."""

import json

from dagster import AssetCheckKey, AssetKey
from dagster_dbt import get_asset_key_for_model

from orchestration.definitions import defs
from orchestration.quality.event_store import event_store_suite
from orchestration.transform.assets import dbt_models
from orchestration.transform.kept import READ_OUTSIDE

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


def test_one_gx_suite_check_per_stage_on_the_asset_it_validates():
    graph = defs.resolve_asset_graph()
    by_name: dict[str, set[str]] = {}
    for key in graph.asset_check_keys:
        by_name.setdefault(key.name, set()).add(key.asset_key.to_user_string())
        # every suite blocks what is downstream of it, but the landing suite: an unsafe batch is
        # quarantined (that feed's alone), so what was stored may go on
        if key.name.endswith("_suite"):
            assert graph.get_check_spec(key).blocking == (key.name != "landing_batch_suite"), key
    assert not graph.get_check_spec(AssetCheckKey(EVENTS, "feeds_ingested")).blocking
    assert by_name["landing_batch_suite"] == by_name["event_store_suite"] == {"raw/events"}
    assert len(by_name["marts_suite"]) == 16
    assert by_name["extract_suite"] == {"extracts/coop-verde", "extracts/regional-fund"}
    # the payload rules of each typed staging model are a dbt test of the one dbt step, blocking (its
    # severity is error): a failure stops the models that read it inside the same `dbt build`
    rules = {key for key in graph.asset_check_keys if key.name.startswith("payload_rules_")}
    assert len(rules) == 13 and all(key.asset_key.path[0] == "staging" for key in rules)
    key = AssetCheckKey(get_asset_key_for_model([dbt_models], "stg_events__contribution_logged"),
                        "payload_rules_stg_events__contribution_logged_")
    assert key in rules and graph.get_check_spec(key).blocking and key in dbt_models.check_keys


def test_only_the_layers_a_kept_model_is_yielded_for_are_read_outside_the_dbt_step():
    graph = defs.resolve_asset_graph()
    read = {parent for key in graph.get_all_asset_keys() if key not in dbt_models.keys
            for parent in graph.get(key).parent_keys if parent in dbt_models.keys}
    read |= {key.asset_key for key in graph.asset_check_keys if key.asset_key in dbt_models.keys
             and key not in dbt_models.check_keys}
    assert read and {key.path[0] for key in read} == set(READ_OUTSIDE)


def test_a_build_passes_its_bounds_warehouse_and_as_of_to_dbt_as_vars():
    from pathlib import Path

    from orchestration.transform.plan import BuildPlan, build_args, dbt_vars

    plan = BuildPlan(warehouse=Path("/w/wh.duckdb"), as_of="2025-06-30 00:00:00", built_through=120,
                     keys_checked_through=100)
    assert dbt_vars(plan) == {"warehouse": "/w/wh.duckdb", "built_through": 120, "keys_checked_through": 100,
                              "as_of": "2025-06-30 00:00:00"}
    assert dbt_vars(BuildPlan(warehouse=Path("/w/wh.duckdb"))) == {
        "warehouse": "/w/wh.duckdb", "built_through": 0, "keys_checked_through": 0}  # by hand: whole, every row
    args = build_args(plan)
    assert args[:4] == ["build", "--no-use-colors", "--exclude-resource-type", "unit_test"]
    assert json.loads(args[args.index("--vars") + 1]) == dbt_vars(plan) and "--full-refresh" not in args
    assert build_args(BuildPlan(warehouse=Path("/w"), full_refresh=True))[-1] == "--full-refresh"


def test_the_dbt_files_made_from_the_schemas_are_current():
    from orchestration.transform.generated import generated_files, stale_files

    assert len(generated_files()) == 15  # payload docs, contract macro, twelve typed staging models, metric catalogue
    assert stale_files() == [], "dbt files are stale: run `coopmetrics generate-dbt`"


def test_a_changed_schema_makes_the_generated_files_stale(tmp_path, monkeypatch):
    import shutil

    from orchestration.core import schemas
    from orchestration.transform import generated

    copy = tmp_path / "schemas"
    shutil.copytree(schemas.SCHEMAS_DIR, copy)
    (copy / "member.left" / "v2.json").write_text(
        (copy / "member.left" / "v1.json").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(generated, "load_event_schemas", lambda: schemas.load_event_schemas(copy))
    monkeypatch.setattr(generated, "typed_staging_models", lambda: schemas.typed_staging_models(copy))
    stale = {p.name for p in generated.stale_files()}
    # a v2 of member.left: its staging model upcasts, the contract names v2, the docs gain a block
    assert stale == {"_payload_docs.md", "contract.sql", "stg_events__member_left.sql"}
    files = generated.generated_files()
    assert "at its latest version (v2;" in files[generated.STAGING_DIR / "stg_events__member_left.sql"]
    assert '"member.left": 2' in files[generated.CONTRACT_MACRO]


def test_assets_are_grouped_by_layer_and_described_without_sql():
    graph = defs.resolve_asset_graph()
    groups = {graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert groups == {"ingest", "lake", "staging", "intermediate", "marts", "extracts", "report", "published"}
    for key in graph.get_all_asset_keys():
        description = graph.get(key).description or ""
        assert description and "Raw SQL" not in description and "select" not in description.lower(), key
