"""One extract asset per partner declared in the registry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    AssetsDefinition,
    Failure,
    MaterializeResult,
    MetadataValue,
    RetryPolicy,
    asset,
)
from dagster_dbt import get_asset_key_for_model

from orchestration.extracts.manifest import verify_extract
from orchestration.extracts.plan import PLAN, Partner, load_partners
from orchestration.extracts.publish import ExtractRejected, publish_extract
from orchestration.quality.results import record_check, record_validations
from orchestration.resources import Warehouse
from orchestration.settings import extracts_dir

EXTRACT_CHECK = "extract_suite"


def _suite_result(key: AssetKey, validations: list, rejected: ExtractRejected | None) -> AssetCheckResult:
    return AssetCheckResult(
        asset_key=key, check_name=EXTRACT_CHECK, passed=rejected is None, severity=AssetCheckSeverity.ERROR,
        description=str(rejected)[:2000] if rejected else f"{len(validations)} file(s) passed the extract suite",
        metadata={"files_validated": len(validations)},
    )


def _extract_asset(partner: Partner, dbt_assets: AssetsDefinition) -> AssetsDefinition:
    key = AssetKey(["extracts", partner.name])
    marts = [get_asset_key_for_model([dbt_assets], item.mart) for item in PLAN
             if item in partner.receives()]
    marts.append(get_asset_key_for_model([dbt_assets], "mart_build_info"))

    @asset(
        key=key,
        check_specs=[AssetCheckSpec(
            EXTRACT_CHECK, asset=key, blocking=True,
            description="great-expectations extract suite (expectations/extracts.py) on every file before "
                        "publication; a failing file publishes nothing.")],
        deps=marts,
        group_name="extracts",
        owners=["team:data-engineering"],
        kinds={"parquet"},
        retry_policy=RetryPolicy(max_retries=2, delay=5),  # file I/O; publication is atomic, so a retry is safe
        description=f"Parquet extract with manifest for {partner.name} ({partner.kind}"
                    f"{', org ' + partner.org_id if partner.org_id else ''}; k={partner.k}).",
    )
    def _extract(context, warehouse: Warehouse) -> Iterator[Any]:
        validations: list = []
        rejected: ExtractRejected | None = None
        con = warehouse.connect(read_only=False)
        try:
            try:
                folder = publish_extract(con, partner, extracts_dir(warehouse.file), validations=validations)
            except ExtractRejected as exc:
                rejected = exc
                if exc.outcome is not None:
                    validations.append((exc.file or partner.name, exc.outcome))
            suite = _suite_result(key, validations, rejected)
            record_check(con, context.run_id, key.path, EXTRACT_CHECK, suite, float(rejected is not None))
            record_validations(con, context.run_id, "extracts", key.path, validations)
        finally:
            con.close()
        if rejected is not None:
            yield suite
            raise Failure(str(rejected), allow_retries=False)  # the same rows fail again
        verification = verify_extract(folder)
        if not verification.ok:
            raise RuntimeError(f"extract {folder} failed verification: {'; '.join(verification.problems)}")
        yield MaterializeResult(metadata={
            "folder": MetadataValue.path(str(folder)),
            "files": verification.files,
        })
        yield suite

    return _extract


def build_extract_assets(dbt_assets: AssetsDefinition) -> list[AssetsDefinition]:
    return [_extract_asset(p, dbt_assets) for p in load_partners().values()]
