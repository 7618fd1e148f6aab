"""One extract asset per partner declared in the registry."""

from __future__ import annotations

from dagster import AssetKey, AssetsDefinition, MaterializeResult, MetadataValue, RetryPolicy, asset
from dagster_dbt import get_asset_key_for_model

from orchestration.extracts.manifest import verify_extract
from orchestration.extracts.plan import PLAN, Partner, load_partners
from orchestration.extracts.publish import publish_extract
from orchestration.resources import Warehouse
from orchestration.settings import extracts_dir


def _extract_asset(partner: Partner, dbt_assets: AssetsDefinition) -> AssetsDefinition:
    marts = [get_asset_key_for_model([dbt_assets], item.mart) for item in PLAN
             if item in partner.receives()]
    marts.append(get_asset_key_for_model([dbt_assets], "mart_build_info"))

    @asset(
        key=AssetKey(["extracts", partner.name]),
        deps=marts,
        group_name="extracts",
        owners=["team:data-engineering"],
        kinds={"parquet"},
        retry_policy=RetryPolicy(max_retries=2, delay=5),  # file I/O; publication is atomic, so a retry is safe
        description=f"Parquet extract with manifest for {partner.name} ({partner.kind}"
                    f"{', org ' + partner.org_id if partner.org_id else ''}; k={partner.k}).",
    )
    def _extract(warehouse: Warehouse) -> MaterializeResult:
        con = warehouse.connect(read_only=False)
        try:
            folder = publish_extract(con, partner, extracts_dir(warehouse.file))
        finally:
            con.close()
        verification = verify_extract(folder)
        if not verification.ok:
            raise RuntimeError(f"extract {folder} failed verification: {'; '.join(verification.problems)}")
        return MaterializeResult(metadata={
            "folder": MetadataValue.path(str(folder)),
            "files": verification.files,
        })

    return _extract


def build_extract_assets(dbt_assets: AssetsDefinition) -> list[AssetsDefinition]:
    return [_extract_asset(p, dbt_assets) for p in load_partners().values()]
